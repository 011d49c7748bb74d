import type { Worker } from 'node:worker_threads';
import type { LocalOrderQuery } from '../core/localStore/localStore.ts';
import type { OrderPageReader } from '../app/admin/orderPage.ts';
import { jsonLineLogger, type Logger } from '../core/observability/logger.ts';
import { startTsWorker } from './tsWorker.ts';

export interface ReadThread {
  readOrderPage: OrderPageReader;
  /** Pages the thread has read (the rest, if it failed, were read on the event loop). */
  readonly served: number;
  close(): Promise<void>;
}

interface Waiting { query: LocalOrderQuery; resolve(body: Uint8Array<ArrayBuffer>): void; reject(error: Error): void }

/**
 * Reads admin pages (GET /api/orders) on a worker thread with its own read-only connection: a page of 500 is 8–20 ms
 * of index searches and unpacking, which on the event loop every webhook arriving meanwhile waited for. A page the
 * thread cannot read because it failed or exited is read by `inline` instead: a request is never lost to the thread.
 */
export function startReadThread(options: { databasePath: string; inline: OrderPageReader; logger?: Logger }): ReadThread {
  const logger = options.logger ?? jsonLineLogger();
  let worker: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let served = 0;
  const here = (w: Waiting) => options.inline(w.query).then(w.resolve, w.reject);
  const recover = (from: Worker) => {
    if (worker === from) worker = null;
    for (const w of waiting.values()) void here(w);
    waiting.clear();
  };
  const spawn = (): Worker => {
    const w = startTsWorker(new URL('./readThread.worker.ts', import.meta.url), { workerData: { databasePath: options.databasePath } });
    w.on('message', (m: { id: number; body?: Uint8Array<ArrayBuffer>; error?: string }) => {
      const waiter = waiting.get(m.id);
      if (!waiter) return;
      waiting.delete(m.id);
      if (m.body) {
        served++;
        waiter.resolve(m.body);
      } else {
        waiter.reject(new Error(`reading the page failed: ${m.error ?? 'no answer'}`));
      }
    });
    w.on('error', (error) => {
      logger.error('read thread failed, reading pages on the event loop', { error: error.message });
      recover(w);
    });
    w.on('exit', () => recover(w));
    return w;
  };
  // Started now rather than on the first page: loading the modules takes a moment.
  worker = spawn();
  return {
    readOrderPage(query) {
      worker ??= spawn();
      const id = nextId++;
      const target = worker;
      return new Promise((resolve, reject) => {
        waiting.set(id, { query, resolve, reject });
        target.postMessage({ id, query });
      });
    },
    get served() {
      return served;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
