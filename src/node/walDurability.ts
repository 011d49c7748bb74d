import { fdatasync, openSync, closeSync, existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { WriteGate } from '../core/state/writeGate.ts';

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
 *
 * Syncs overlap (up to `maxInFlight`): a commit made while one is running starts its own instead of
 * waiting for it to end and then syncing again, which doubled the wait of every such commit.
 */
export class WalDurability {
  private fd: number | null = null;
  private waiting: Waiter[] = [];
  /** The waiters of each sync running, in the order they started: one that ends covers every one started before it. */
  private running: Waiter[][] = [];

  constructor(private readonly walPath: string, private readonly maxInFlight = 3) {}

  /** Resolves once everything committed before this call is on disk. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (this.running.length < this.maxInFlight) this.start();
    });
  }

  /** Syncs running now (for tests). */
  get inFlight(): number {
    return this.running.length;
  }

  private start(): void {
    const waiters = this.waiting;
    this.waiting = [];
    if (waiters.length === 0) return;
    if (this.fd === null) {
      if (!existsSync(this.walPath)) {
        for (const w of waiters) w.resolve(); // nothing written through the WAL yet
        return;
      }
      this.fd = openSync(this.walPath, 'r');
    }
    this.running.push(waiters);
    fdatasync(this.fd, (error) => this.finish(waiters, error));
  }

  private finish(sync: Waiter[], error: Error | null): void {
    const at = this.running.indexOf(sync);
    // Not running any more: a sync started after it ended first and answered its waiters.
    if (at >= 0 && error) {
      this.running.splice(at, 1);
      for (const w of sync) w.reject(error);
    } else if (at >= 0) {
      // Everything written before this sync began is on disk, so the syncs started earlier are answered too.
      for (const earlier of this.running.splice(0, at + 1)) for (const w of earlier) w.resolve();
    }
    if (this.waiting.length > 0 && this.running.length < this.maxInFlight) this.start();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface CheckpointerOptions {
  /**
   * Rounds every 20 ms keep each round's copy and fsync small: a WAL sync queues on the disk behind the
   * round's writes (rounds of 100 ms: WAL sync p99 ~10 ms and restart holds up to 30 ms at 1,500 webhooks/s; 20 ms: ~5 and ~6).
   */
  everyMs?: number;
  /**
   * The main connection's write gate. SQLite only restarts a WAL from its beginning when a write finds it
   * fully checkpointed, which never happens under steady writes while another thread checkpoints: the
   * WAL would grow without bound (and every sync would have to commit its new size). Once the WAL holds
   * `restartAfterFrames`, the checkpointer holds the gate while the worker copies the few frames written
   * since its last round; the next write then starts the WAL over. The event loop never checkpoints.
   */
  gate?: WriteGate;
  restartAfterFrames?: number;
  /** The longest writes are held, should the worker not answer. */
  maxHoldMs?: number;
}

interface CheckpointReport { kind: 'round' | 'final'; busy: number; log: number; checkpointed: number }

export interface Checkpointer {
  /** Times the gate was held for a final round that left the WAL fully checkpointed (so the next write restarts it). */
  readonly restarts: number;
  stop(): Promise<void>;
}

/**
 * Checkpoints the WAL into the database file from a worker thread with its own connection, so the
 * copying and its fsyncs never stall request handling (the main connection's auto-checkpoint is off).
 * PASSIVE checkpoints only: the worker never takes the write lock, so a write never waits on it.
 */
export function startCheckpointer(databasePath: string, options: CheckpointerOptions = {}): Checkpointer {
  const { everyMs = 20, gate, restartAfterFrames = 4_096, maxHoldMs = 250 } = options;
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.path);
    db.pragma('busy_timeout = 5000');
    const checkpoint = () => { try { return db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch { return null; } };
    // Rounds until one is quick: then little is left, and only then may the final round hold writes.
    const rounds = () => {
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        const report = checkpoint();
        if (!report || report.busy !== 0) return null;
        if (performance.now() - started < workerData.quickMs) return report;
      }
      return null;
    };
    const timer = setInterval(() => {
      const report = rounds();
      if (report) parentPort.postMessage({ kind: 'round', ...report });
    }, workerData.everyMs);
    parentPort.on('message', (message) => {
      if (message === 'final') {
        parentPort.postMessage({ kind: 'final', busy: 1, log: 0, checkpointed: 0, ...checkpoint() });
        return;
      }
      clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('closed');
    });
  `, { eval: true, workerData: { path: databasePath, everyMs, quickMs: 4, driver: require_resolve('better-sqlite3') } });
  worker.unref();
  let restarts = 0;
  let holding: ReturnType<typeof setTimeout> | null = null;
  const release = () => {
    if (holding) clearTimeout(holding);
    holding = null;
    gate?.open();
  };
  worker.on('message', (report: CheckpointReport | 'closed') => {
    if (report === 'closed' || !gate) return;
    if (report.kind === 'round' && report.log >= restartAfterFrames && !holding) {
      gate.hold();
      holding = setTimeout(release, maxHoldMs);
      worker.postMessage('final');
    } else if (report.kind === 'final' && holding) {
      if (report.busy === 0 && report.log === report.checkpointed) restarts++;
      release();
    }
  });
  return {
    get restarts() {
      return restarts;
    },
    stop: () => new Promise<void>((resolve) => {
      release();
      worker.once('message', () => void worker.terminate().then(() => resolve()));
      worker.once('error', () => resolve());
      worker.postMessage('stop');
    }),
  };
}

function require_resolve(name: string): string {
  return import.meta.resolve(name).replace(/^file:\/\//, '');
}
