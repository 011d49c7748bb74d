import type { SqlPort } from '../state/sqlPort.ts';
import type { Clock } from '../clock.ts';
import type { WriteGate } from '../state/writeGate.ts';
import { jsonLineLogger, type Logger } from '../observability/logger.ts';
import type { Job, JobBook, StepResult } from './jobBook.ts';

/** A job's work, one step at a time. */
export interface JobKind<Page = undefined> {
  /**
   * What the next step queues, read outside any transaction (a platform's page may take a while to come). A kind that
   * reads only this database leaves it out and reads inside `step`, where nothing can change between read and write.
   */
  read?(job: Job, signal: AbortSignal): Promise<Page>;
  /** Queues one step from `job.cursor`, inside the transaction that checkpoints the job with its result. */
  step(job: Job, page: Page | undefined, now: number): StepResult;
  /**
   * The share of the runner's time this kind takes while webhooks arrive (the runtime's `ingestCommits` grew since its
   * step before); default: `share` always. A step's WAL pages are copied by the checkpointer and synced with the next
   * acknowledgement, and its event-loop time is taken from theirs: a kind that writes much while webhooks come takes less.
   */
  busyShare?: number;
  /**
   * The ms its page took to read on a thread the webhooks share (their translation): counted with the step's own time
   * while webhooks arrive, so a kind whose reading costs more than its writing takes no more than its share of both.
   */
  readCostMs?(page: Page): number;
}

/** A step that can never succeed (e.g. its destination was removed): the job fails at once rather than retrying. */
export class JobFailure extends Error {}

export interface JobRunnerOptions {
  /**
   * Of its time, the share the runner takes: after a step that held the event loop d ms it waits d × (1/share − 1)
   * ms, so webhooks are answered between steps however long a job is (0.25: a 5 ms step, then 15 ms for them).
   */
  share: number;
  /** The shortest wait between steps. */
  minPauseMs: number;
  /**
   * A wait that ended this much later than asked means the event loop is behind (webhooks queued): the next waits
   * double (up to 64×) until one ends on time, so a busy server answers its webhooks first.
   */
  lateMs: number;
  /**
   * A webhook answered this much later than its arrival while a step's writes were out (the WAL sync waiting behind the
   * checkpointer copying them) doubles the next waits too, up to `answerSlowdownMax`: the pace follows the disk, not only the
   * event loop. Its own ceiling, lower: a disk whose every sync is slow would otherwise hold every job at 64× for good.
   */
  answerTargetMs: number;
  answerSlowdownMax: number;
  /** How often to look for a job asked for by another process sharing the database. */
  pollMs: number;
  /** Consecutive failed steps after which the job fails (each retried after twice the wait of the one before). */
  maxAttempts: number;
  retryBaseMs: number;
}

export const DEFAULT_JOB_RUNNER: JobRunnerOptions = { share: 0.25, minPauseMs: 2, lateMs: 5, answerTargetMs: 10, answerSlowdownMax: 8, pollMs: 1_000, maxAttempts: 5, retryBaseMs: 500 };

export interface JobRunnerDeps {
  sqlite: SqlPort;
  book: JobBook;
  kinds: Record<string, JobKind<unknown>>;
  clock: Clock;
  /** Held by the checkpointer for a moment now and then: steps wait for it, as other writes do. */
  gate?: WriteGate;
  /** Whether this process runs jobs now (the one that delivers: one runner per database file). */
  mayRun?: () => boolean;
  /** After each committed step, so delivery starts on what it queued. */
  onStep?: () => void;
  /** Webhook commits so far (a counter): while it grows, webhooks are arriving and a kind's `busyShare` applies. */
  ingestCommits?: () => number;
  /** The longest a webhook waited for its answer since the last call (IngestQueue.slowestAnswerMs). */
  slowestAnswerMs?: () => number;
  options?: Partial<JobRunnerOptions>;
  /** Where a job stopped by a bug is told (default: JSON lines on the console). */
  logger?: Logger;
}

/** Resolves after `ms`, or at once when the runner stops (a timer and a listener, both gone either way). */
function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Runs jobs one at a time, oldest first, in steps: each step's outbox rows and the job's checkpoint (cursor and
 * counts) commit in one transaction, so a job resumed after a restart (start() takes up a job left running) goes
 * on from its last committed step and queues nothing twice. Paced so the event loop stays the webhooks' (`share`,
 * and slower while the event loop is behind).
 */
export class JobRunner {
  private readonly options: JobRunnerOptions;
  private readonly stopping = new AbortController();
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: JobRunnerDeps) {
    this.options = { ...DEFAULT_JOB_RUNNER, ...deps.options };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** A job was just asked for in this process: look now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Runs every unfinished job to its end, paced as ever (tests, a CLI on the database); returns when none is left. */
  async drain(): Promise<void> {
    const { signal } = this.stopping;
    let last: Job | undefined;
    for (let job = this.deps.book.next(); job && !signal.aborted && this.deps.mayRun?.() !== false; job = this.deps.book.next()) {
      // The same job back unchanged: it could not go on here (its kind failed to start it); the loop would never end.
      if (last && job.id === last.id && job.updatedAt === last.updatedAt && job.steps === last.steps) return;
      last = job;
      await this.runJob(job, signal);
    }
  }

  /** Ends after the step in flight; a running job stays `running`, for the next start to resume. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const job = this.deps.mayRun?.() === false ? undefined : this.deps.book.next();
      if (job) {
        try {
          await this.runJob(job, signal);
        } catch (error) {
          // A bug, not a step's failure (those are recorded on the job): logged, and the loop goes on.
          (this.deps.logger ?? jsonLineLogger()).error('job stopped', { job: job.id, kind: job.kind, error: error instanceof Error ? error.message : String(error) });
          await this.idle(this.options.pollMs);
        }
        continue;
      }
      await this.idle(this.options.pollMs);
    }
  }

  /** Waits for a job: the poll, or wake() (a job asked for here), or stop(). */
  private idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.wakeUp = null));
  }

  private async runJob(queued: Job, signal: AbortSignal): Promise<void> {
    const kind = this.deps.kinds[queued.kind];
    if (!kind) {
      this.deps.book.start(queued.id);
      this.deps.book.failedStep(queued.id, `no job kind ${queued.kind} in this orderbridge`, true);
      return;
    }
    if (!this.deps.book.start(queued.id)) return;
    let attempts = 0;
    let slowdown = 1;
    let commits = this.deps.ingestCommits?.();
    this.deps.slowestAnswerMs?.(); // what webhooks met before this job started is not its doing
    while (!signal.aborted && this.deps.mayRun?.() !== false) {
      const held = this.deps.gate?.held;
      if (held) await held;
      const job = this.deps.book.get(queued.id);
      if (!job || job.state !== 'running') return; // cancelled, or finished by another runner
      let step: StepResult | null;
      let took = 0;
      let readMs = 0;
      try {
        const page = kind.read ? await kind.read(job, signal) : undefined;
        if (signal.aborted) return;
        if (page !== undefined) readMs = kind.readCostMs?.(page) ?? 0;
        const startedAt = performance.now();
        step = this.commitStep(job, kind, page);
        took = performance.now() - startedAt;
        attempts = 0;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const fail = error instanceof JobFailure || ++attempts >= this.options.maxAttempts;
        this.deps.book.failedStep(job.id, message, fail);
        if (fail) return;
        await sleepFor(this.options.retryBaseMs * 2 ** (attempts - 1), signal);
        continue;
      }
      if (step) this.deps.onStep?.();
      if (step?.done) return;
      const seen = commits;
      commits = this.deps.ingestCommits?.();
      const busy = commits !== seen;
      const share = kind.busyShare !== undefined && busy ? kind.busyShare : this.options.share;
      const cost = took + (busy ? readMs : 0);
      const pause = Math.max(this.options.minPauseMs, cost * (1 / share - 1)) * slowdown;
      const asleep = performance.now();
      await sleepFor(pause, signal);
      const late = performance.now() - asleep - pause > this.options.lateMs;
      const answeredLate = (this.deps.slowestAnswerMs?.() ?? 0) > this.options.answerTargetMs;
      const { answerSlowdownMax: most } = this.options;
      if (late) slowdown = Math.min(64, slowdown * 2);
      else if (answeredLate) slowdown = slowdown < most ? Math.min(most, slowdown * 2) : Math.max(most, slowdown / 2);
      else slowdown = Math.max(1, slowdown / 2);
    }
  }

  /** The step and the job's checkpoint in one transaction; null when the job moved on without it (rolled back). */
  private commitStep(job: Job, kind: JobKind<unknown>, page: unknown): StepResult | null {
    const rolledBack = new Error('the job moved on');
    try {
      // IMMEDIATE: the write lock first, so another process's commit cannot fail the step half-way.
      return this.deps.sqlite.transaction(() => {
        const step = kind.step(job, page, this.deps.clock.now());
        if (!this.deps.book.checkpoint(job, step)) throw rolledBack;
        return step;
      }).immediate();
    } catch (error) {
      if (error === rolledBack) return null;
      throw error;
    }
  }
}
