import { isStorageFault } from '../state/storageFault.ts';
import type { Change, IngestResult, Receipt } from './change.ts';
import type { SyncWriter } from './syncWriter.ts';
import type { SqlPort, SqlTransaction } from '../state/sqlPort.ts';
import type { WriteGate } from '../state/writeGate.ts';

interface Waiting {
  receipt: Receipt | null;
  change: Change;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: webhooks arriving within one turn of the event loop share one SQLite transaction
 * (one fsync), and each is answered only after that commit. Each change runs in its own savepoint,
 * so one bad change fails alone.
 */
export class IngestQueue {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly applyOne: (w: Waiting) => IngestResult;
  private readonly applyAll: SqlTransaction<(batch: Waiting[]) => Array<IngestResult | Error>>;

  /** Commits waiting so far, and how many changes they carried (for benchmarks and /health). */
  readonly stats = { commits: 0, changes: 0 };
  /** When the first change now waiting was submitted (performance.now()). */
  private waitingSince = 0;
  /** The longest a group waited from its first submit to its answer, since `slowestAnswerMs()` last asked. */
  private slowest = 0;

  /** Resolves when what was committed is on disk; the default trusts SQLite's own fsync (synchronous=FULL). */
  durable: () => Promise<void> = () => Promise.resolve();

  /**
   * @param gate while held (a checkpoint finishing), commits wait; webhooks keep queueing meanwhile.
   * @param windowMs how long the first waiting webhook holds the transaction open for others (one fsync for all).
   */
  constructor(
    sqlite: SqlPort,
    writer: SyncWriter,
    private readonly onCommit: () => void = () => {},
    private readonly gate: WriteGate | null = null,
    private readonly windowMs = 1,
  ) {
    this.applyOne = sqlite.transaction((w: Waiting) => writer.apply(w.receipt, w.change));
    this.applyAll = sqlite.transaction((batch: Waiting[]) =>
      batch.map((w) => {
        try {
          return this.applyOne(w);
        } catch (error) {
          // A full disk or a lock fails them all (SQLite has rolled the whole transaction back): its own error, not a commit's.
          if (isStorageFault(error)) throw error;
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  submit(receipt: Receipt | null, change: Change): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) this.waitingSince = performance.now();
      this.waiting.push({ receipt, change, resolve, reject });
      if (this.waiting.length >= 512 && !this.gate?.held) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.flush(), this.windowMs);
      }
    });
  }

  /** Commits everything waiting now. */
  flush(): void {
    const held = this.gate?.held;
    if (held) {
      this.scheduled = true;
      void held.then(() => this.flush());
      return;
    }
    this.scheduled = false;
    const batch = this.waiting;
    const since = this.waitingSince;
    this.waiting = [];
    if (batch.length === 0) return;
    this.stats.commits++;
    this.stats.changes += batch.length;
    let results: Array<IngestResult | Error>;
    try {
      // IMMEDIATE: takes the write lock first (waiting on busy_timeout), so a commit by another process
      // between this transaction's first read and its first write cannot fail it with SQLITE_BUSY.
      results = this.applyAll.immediate(batch);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    this.onCommit();
    // Answer only once the commit is on disk; webhooks arriving meanwhile form the next group.
    this.durable().then(
      () => {
        this.slowest = Math.max(this.slowest, performance.now() - since);
        batch.forEach((w, i) => {
          const r = results[i]!;
          if (r instanceof Error) w.reject(r);
          else w.resolve(r);
        });
      },
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  }

  /** The longest a webhook waited for its answer (queue, commit, WAL sync) since the last call: what background writes cost it. */
  slowestAnswerMs(): number {
    const slowest = this.slowest;
    this.slowest = 0;
    return slowest;
  }

  get depth(): number {
    return this.waiting.length;
  }
}
