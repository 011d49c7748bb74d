import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { storeManifest } from '../../connectors/registry.ts';
import type { PrepareRequest, Preparer } from '../core/delivery/preparation.ts';
import { startTsWorker } from './tsWorker.ts';

interface Waiting { resolve(results: unknown[]): void; reject(error: Error): void }

/** One preparation worker: the batches it holds, and a new worker after a crash. */
class PreparationWorker {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  constructor(private readonly databasePath: string | null) {
    // Started now rather than on the first batch: loading the mappings takes a moment.
    this.worker = this.spawn();
  }

  /** Batches sent and not yet answered, and half a batch for a worker that must first start again after a crash. */
  get load(): number {
    return this.waiting.size + (this.worker === null ? 0.5 : 0);
  }

  prepare(kind: string, settings: unknown, inputs: PrepareRequest[], now: number): Promise<unknown[]> {
    this.worker ??= this.spawn();
    const id = this.nextId++;
    const target = this.worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      target.postMessage({ id, kind, settings, inputs, now });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private failAll(error: Error): void {
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  private spawn(): Worker {
    const w = startTsWorker(new URL('./preparationThread.worker.ts', import.meta.url), { workerData: { databasePath: this.databasePath } });
    w.on('message', (m: { id: number; results?: unknown[]; error?: string }) => {
      const waiter = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error !== undefined || !m.results) waiter?.reject(new Error(`preparation failed: ${m.error ?? 'no results'}`));
      else waiter?.resolve(m.results);
    });
    w.on('error', (error) => this.failAll(new Error(`preparation worker failed: ${error.message}`)));
    w.on('exit', () => {
      if (this.worker === w) this.worker = null;
      this.failAll(new Error('preparation worker exited'));
    });
    return w;
  }
}

/** One core is the event loop's; the rest (up to four) prepare: the event loop's own work caps the rate beyond that. */
export function defaultPreparationThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * Stores' preparations (read the newest versions, parse, map, encode) on worker threads, so the event
 * loop only claims, sends and settles. Each batch goes to the worker holding the fewest; workers read
 * orders through their own read-only connections to `databasePath`. A crashed worker fails the batches
 * it held (they are retried); its next batch starts a new one.
 */
export function startPreparationThreads(options: { databasePath?: string; threads?: number } = {}): Preparer {
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  const workers = Array.from({ length: threads }, () => new PreparationWorker(options.databasePath ?? null));
  return {
    handles: (kind) => storeManifest(kind)?.prepare !== undefined,
    prepare(kind, settings, inputs, now) {
      // The least busy; among equals a live one over one that crashed (it would first load the mappings again).
      const idlest = workers.reduce((best, w) => (w.load < best.load ? w : best));
      return idlest.prepare(kind, settings, inputs, now);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
