import type { SqlPort } from '../state/sqlPort.ts';
import type { Clock } from '../clock.ts';
import type { JobState } from '../state/schema.ts';

/** What a step adds to a job's counts. */
export interface JobCounts {
  /** Steps committed (a backfill's slices of orders; a resync's pages). */
  steps: number;
  /** Orders looked at (within the job's range). */
  seen: number;
  /** Orders queued for the job's destinations. */
  queued: number;
  /** Orders looked at with nothing to send (the destination has them, or they were deleted). */
  skipped: number;
  /** Orders that could not be queued (e.g. a page that did not map). */
  failed: number;
}

export interface Job extends JobCounts {
  id: number;
  kind: string;
  shopId: string;
  destinations: string[];
  rangeFrom: number | null;
  rangeTo: number | null;
  options: Record<string, unknown>;
  state: JobState;
  /** Where the next step starts, as the job's kind wrote it; null before the first. */
  cursor: string | null;
  lastError: string | null;
  createdAt: number;
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
}

export interface NewJob {
  kind: string;
  shopId: string;
  destinations: string[];
  range?: { from?: number; to?: number };
  options?: Record<string, unknown>;
}

/** One step's outcome: the cursor after it, what it adds to the counts, and whether the job is done. */
export interface StepResult {
  cursor: string | null;
  counts: Partial<Omit<JobCounts, 'steps'>>;
  done: boolean;
}

const COLUMNS = `id, kind, shop_id AS shopId, destinations, range_from AS rangeFrom, range_to AS rangeTo, options, state, cursor,
  steps, seen, queued, skipped, failed, last_error AS lastError, created_at AS createdAt, started_at AS startedAt,
  updated_at AS updatedAt, finished_at AS finishedAt`;

/** Jobs newest first from a cursor: every job (the table's b-tree) or one shop's (its index). */
export const JOB_LISTINGS = {
  all: `SELECT ${COLUMNS} FROM jobs WHERE id < @before ORDER BY id DESC LIMIT @limit`,
  ofShop: `SELECT ${COLUMNS} FROM jobs INDEXED BY jobs_shop WHERE shop_id = @shop AND id < @before ORDER BY id DESC LIMIT @limit`,
} as const;

type JobColumns = Omit<Job, 'destinations' | 'options'> & { destinations: string; options: string };
const toJob = (row: JobColumns): Job => ({ ...row, destinations: JSON.parse(row.destinations) as string[], options: JSON.parse(row.options) as Record<string, unknown> });

/** Jobs as rows: created, listed, started, checkpointed step by step, finished or cancelled. */
export class JobBook {
  /** Prepared once: the statements this class runs. */
  private readonly statements;

  constructor(sqlite: SqlPort, private readonly clock: Clock) {
    this.statements = {
      insert: sqlite.prepare(`INSERT INTO jobs (kind, shop_id, destinations, range_from, range_to, options, state, created_at, updated_at)
        VALUES (@kind, @shopId, @destinations, @from, @to, @options, 'queued', @now, @now) RETURNING id`),
      get: sqlite.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`),
      all: sqlite.prepare(JOB_LISTINGS.all),
      ofShop: sqlite.prepare(JOB_LISTINGS.ofShop),
      unfinishedOfShop: sqlite.prepare(`SELECT ${COLUMNS} FROM jobs INDEXED BY jobs_state WHERE state IN ('running', 'queued') AND shop_id = ? ORDER BY id`),
      // The oldest unfinished job: jobs run one at a time, in the order they were asked for.
      next: sqlite.prepare(`SELECT ${COLUMNS} FROM jobs INDEXED BY jobs_state WHERE state IN ('running', 'queued') ORDER BY id LIMIT 1`),
      start: sqlite.prepare(`UPDATE jobs SET state = 'running', started_at = coalesce(started_at, @now), updated_at = @now
        WHERE id = @id AND state IN ('queued', 'running')`),
      // Only from the cursor the step began at: a step of another runner, or a cancel, in between makes this one count for nothing.
      checkpoint: sqlite.prepare(`UPDATE jobs SET cursor = @cursor, steps = steps + 1, seen = seen + @seen, queued = queued + @queued,
          skipped = skipped + @skipped, failed = failed + @failed, last_error = NULL, updated_at = @now,
          state = CASE WHEN @done THEN 'done' ELSE state END, finished_at = CASE WHEN @done THEN @now ELSE finished_at END
        WHERE id = @id AND state = 'running' AND cursor IS @from`),
      error: sqlite.prepare(`UPDATE jobs SET last_error = @error, updated_at = @now,
          state = CASE WHEN @fail THEN 'failed' ELSE state END, finished_at = CASE WHEN @fail THEN @now ELSE finished_at END
        WHERE id = @id AND state = 'running'`),
      cancel: sqlite.prepare(`UPDATE jobs SET state = 'cancelled', updated_at = @now, finished_at = @now
        WHERE id = @id AND state IN ('queued', 'running')`),
    };
  }

  create(job: NewJob): Job {
    const now = this.clock.now();
    // RETURNING rather than the driver's last rowid: every SQL port can read a row back.
    const { id } = this.statements.insert.get({
      kind: job.kind, shopId: job.shopId, destinations: JSON.stringify(job.destinations),
      from: job.range?.from ?? null, to: job.range?.to ?? null, options: JSON.stringify(job.options ?? {}), now,
    }) as { id: number };
    return this.get(id)!;
  }

  get(id: number): Job | undefined {
    const row = this.statements.get.get(id) as JobColumns | undefined;
    return row && toJob(row);
  }

  /** Newest first: up to `limit` jobs (of one shop) with ids below `before`. */
  list(page: { shopId?: string; limit: number; before?: number }): Job[] {
    const params = { limit: page.limit, before: page.before ?? Number.MAX_SAFE_INTEGER };
    const rows = page.shopId === undefined ? this.statements.all.all(params) : this.statements.ofShop.all({ ...params, shop: page.shopId });
    return (rows as JobColumns[]).map(toJob);
  }

  /** A shop's jobs not finished yet (queued or running), oldest first. */
  unfinishedOf(shopId: string): Job[] {
    return (this.statements.unfinishedOfShop.all(shopId) as JobColumns[]).map(toJob);
  }

  /** The job to run next: the oldest one running (resumed after a restart) or queued. */
  next(): Job | undefined {
    const row = this.statements.next.get() as JobColumns | undefined;
    return row && toJob(row);
  }

  /** Marks it running (a resumed job keeps when it first started); false when it was cancelled meanwhile. */
  start(id: number): boolean {
    return this.statements.start.run({ id, now: this.clock.now() }).changes > 0;
  }

  /**
   * Records a step, inside the transaction that queued its rows: false when the job moved on without it (cancelled,
   * or checkpointed from another cursor), and then the caller rolls the step back.
   */
  checkpoint(job: Job, step: StepResult): boolean {
    const c = step.counts;
    return this.statements.checkpoint.run({
      id: job.id, from: job.cursor, cursor: step.cursor, done: step.done ? 1 : 0, now: this.clock.now(),
      seen: c.seen ?? 0, queued: c.queued ?? 0, skipped: c.skipped ?? 0, failed: c.failed ?? 0,
    }).changes > 0;
  }

  /** A step that failed: kept as the job's last error; `fail` ends the job with it. */
  failedStep(id: number, error: string, fail: boolean): void {
    this.statements.error.run({ id, error, fail: fail ? 1 : 0, now: this.clock.now() });
  }

  /** Stops a queued or running job (what it queued stays queued); false when it had finished already. */
  cancel(id: number): boolean {
    return this.statements.cancel.run({ id, now: this.clock.now() }).changes > 0;
  }
}
