import { fdatasync, openSync, closeSync, existsSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Makes commits durable without blocking the event loop. SQLite runs with synchronous=NORMAL (a
 * commit writes the WAL but does not fsync it); after each group commit we fdatasync the WAL file on
 * libuv's thread pool and only then acknowledge. A commit is acknowledged only after a sync that
 * began after it, which is what synchronous=FULL would have done, minus the stall. fdatasync, as SQLite
 * uses on Linux: a reused WAL keeps its size, so the sync need not wait for a metadata journal commit.
 */
export class WalDurability {
  private fd: number | null = null;
  private waiting: Waiter[] = [];
  private inFlight = false;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before this call is on disk. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.inFlight) this.start();
    });
  }

  private start(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    if (this.fd === null) {
      if (!existsSync(this.walPath)) {
        for (const w of batch) w.resolve(); // nothing written through the WAL yet
        return;
      }
      this.fd = openSync(this.walPath, 'r');
    }
    this.inFlight = true;
    fdatasync(this.fd, (error) => {
      this.inFlight = false;
      for (const w of batch) (error ? w.reject(error) : w.resolve());
      if (this.waiting.length > 0) this.start();
    });
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface CheckpointerOptions {
  everyMs?: number;
  /**
   * The writing connection. SQLite only restarts a WAL from its beginning when a writer finds it fully
   * checkpointed, which never happens under steady writes while another thread checkpoints: the WAL
   * would grow without bound (and every sync would have to commit its new size). Once the WAL holds
   * this many frames, the writer restarts it right after the worker's checkpoint, copying only the
   * few frames written since.
   */
  writer?: Pick<BetterSqlite3.Database, 'pragma' | 'open'>;
  restartAfterFrames?: number;
}

interface CheckpointReport { log: number; checkpointed: number }

/**
 * Checkpoints the WAL into the database file from a worker thread with its own connection, so the
 * copying and its fsyncs never stall request handling (the main connection's auto-checkpoint is off).
 */
export function startCheckpointer(databasePath: string, options: CheckpointerOptions = {}): { stop(): Promise<void> } {
  const { everyMs = 1_000, writer, restartAfterFrames = 4_096 } = options;
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.path);
    db.pragma('busy_timeout = 5000');
    const checkpoint = () => { try { return db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch { return null; } };
    const timer = setInterval(() => {
      const report = checkpoint();
      if (report && report.busy === 0) parentPort.postMessage(report);
    }, workerData.everyMs);
    parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('closed'); });
  `, { eval: true, workerData: { path: databasePath, everyMs, driver: require_resolve('better-sqlite3') } });
  worker.unref();
  worker.on('message', (report: CheckpointReport | 'closed') => {
    if (report === 'closed' || !writer?.open || report.log < restartAfterFrames) return;
    // Never wait on a lock here: this is the event loop. A busy attempt is simply retried next time.
    const previous = writer.pragma('busy_timeout', { simple: true }) as number;
    writer.pragma('busy_timeout = 0');
    try {
      writer.pragma('wal_checkpoint(RESTART)');
    } finally {
      writer.pragma(`busy_timeout = ${previous}`);
    }
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      worker.once('message', () => void worker.terminate().then(() => resolve()));
      worker.once('error', () => resolve());
      worker.postMessage('stop');
    }),
  };
}

function require_resolve(name: string): string {
  return import.meta.resolve(name).replace(/^file:\/\//, '');
}
