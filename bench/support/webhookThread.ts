// Signed webhooks fired from a worker thread of their own: a bench that also serves a platform simulator in its
// process (bench/resync) would otherwise measure the simulator's pages (a JSON.stringify of 100 orders holds its
// event loop for milliseconds) as the server's latency. The thread shares the machine's cores, not the event loop.
import { startTsWorker } from '../../src/node/tsWorker.ts';
import type { OpenLoopResult } from './openLoop.ts';

export interface WebhookWindow { url: string; rate: number; seconds: number; secret: string; shop: string }

export interface WebhookThread {
  /** One open-loop window of signed ~5 KB orders/create webhooks, each with an order id not sent before. */
  fire(window: WebhookWindow): Promise<OpenLoopResult>;
  close(): Promise<number>;
}

export function startWebhookThread(): WebhookThread {
  const worker = startTsWorker(new URL('./webhookThread.worker.ts', import.meta.url));
  worker.ref(); // a window waited for must keep the bench up (startTsWorker's threads never do)
  let next = 0;
  const waiting = new Map<number, { resolve(r: OpenLoopResult): void; reject(e: Error): void }>();
  worker.on('message', (m: { id: number; result: OpenLoopResult }) => {
    waiting.get(m.id)?.resolve(m.result);
    waiting.delete(m.id);
  });
  // A window the thread can no longer answer fails the bench with the reason, rather than waiting for ever.
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the webhook thread exited (${code})`)));
  return {
    fire: (window) => new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, window });
    }),
    close: () => worker.terminate(),
  };
}
