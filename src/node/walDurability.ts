import { fdatasync, openSync, closeSync, existsSync } from 'node:fs';
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

/**
 * Checkpoints the WAL into the database file from a worker thread with its own connection, so the
 * copying and its fsyncs never stall request handling (the main connection's auto-checkpoint is off).
 */
export function startCheckpointer(databasePath: string, everyMs = 1_000): { stop(): Promise<void> } {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.path);
    db.pragma('busy_timeout = 5000');
    const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.everyMs);
    parentPort.on('message', () => { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.postMessage('closed'); });
  `, { eval: true, workerData: { path: databasePath, everyMs, driver: require_resolve('better-sqlite3') } });
  worker.unref();
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
