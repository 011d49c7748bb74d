import { Worker } from 'node:worker_threads';
import { PREPARATIONS } from '../delivery/preparations.ts';
import type { PrepareRequest, Preparer } from '../delivery/preparation.ts';

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
    // The entry is TypeScript: register tsx inside the worker (execArgv loaders do not reach a worker's entry).
    const api = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./preparationThread.worker.ts', import.meta.url).href;
    const w = new Worker(`import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, {
      eval: true, workerData: { databasePath: options.databasePath ?? null },
    });
    w.unref();
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
