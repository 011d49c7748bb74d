import type { Worker } from 'node:worker_threads';
import { PREPARATIONS } from '../delivery/preparations.ts';
import type { PrepareRequest, Preparer } from '../delivery/preparation.ts';
import { startTsWorker } from './tsWorker.ts';

interface Waiting { resolve(results: unknown[]): void; reject(error: Error): void }

/**
 * Stores' preparations (read the newest versions, parse, map, encode) on a worker thread, so the event
 * loop only claims, sends and settles. The worker reads orders through its own read-only connection to
 * `databasePath`. A crashed worker fails the batches it held (they are retried); the next batch starts
 * a new one.
 */
export function startPreparationThread(options: { databasePath?: string } = {}): Preparer {
  let worker: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const spawn = (): Worker => {
    const w = startTsWorker(new URL('./preparationThread.worker.ts', import.meta.url), { workerData: { databasePath: options.databasePath ?? null } });
    w.on('message', (m: { id: number; results?: unknown[]; error?: string }) => {
      const waiter = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined || !m.results) waiter?.reject(new Error(`preparation failed: ${m.error ?? 'no results'}`));
      else waiter?.resolve(m.results);
    });
    w.on('error', (error) => failAll(new Error(`preparation worker failed: ${error.message}`)));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('preparation worker exited'));
    });
    return w;
  };
  // Started now rather than on the first batch: loading the mappings takes a moment.
  worker = spawn();
  return {
    handles: (kind) => Object.hasOwn(PREPARATIONS, kind),
    prepare(kind: string, settings: unknown, inputs: PrepareRequest[], now: number): Promise<unknown[]> {
      worker ??= spawn();
      const id = nextId++;
      const target = worker;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        target.postMessage({ id, kind, settings, inputs, now });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
