import type { Worker } from 'node:worker_threads';
import { startTsWorker } from './tsWorker.ts';
import { translateShopify, type ShopifyDelivery, type ShopifyTranslation, type ShopifyTranslator } from '../app/webhooks/shopify/translation.ts';
import { jsonLineLogger, type Logger } from '../core/observability/logger.ts';

export interface TranslationThread {
  translate: ShopifyTranslator;
  /** Webhooks the thread has translated (the rest were translated on the event loop). */
  readonly translated: number;
  close(): Promise<void>;
}

interface Waiting { delivery: ShopifyDelivery; resolve(translation: ShopifyTranslation): void }

/**
 * Parses and maps Shopify webhooks on a worker thread: JSON.parse of a 5 KB order and its mapping are
 * ~100 µs, a sixth of what the event loop spends on a webhook, and the second core is otherwise idle.
 * What the thread cannot send back as data (a refund's amendment), or cannot translate because it
 * failed, is translated on the event loop instead: a webhook is never lost to the thread.
 */
export function startTranslationThread({ logger = jsonLineLogger() }: { logger?: Logger } = {}): TranslationThread {
  let worker: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let translated = 0;
  const here = (w: Waiting) => w.resolve(translateShopify(w.delivery));
  const recover = (from: Worker) => {
    if (worker === from) worker = null;
    for (const w of waiting.values()) here(w);
    waiting.clear();
  };
  const spawn = (): Worker => {
    const w = startTsWorker(new URL('./translationThread.worker.ts', import.meta.url));
    w.on('message', ({ id, translation }: { id: number; translation: ShopifyTranslation | null }) => {
      const waiter = waiting.get(id);
      if (!waiter) return;
      waiting.delete(id);
      if (translation === null) return here(waiter);
      translated++;
      waiter.resolve(translation);
    });
    w.on('error', (error) => {
      logger.error('translation thread failed, translating on the event loop', { error: error.message });
      recover(w);
    });
    w.on('exit', () => recover(w));
    return w;
  };
  // Started now rather than on the first webhook: loading the mappings takes a moment.
  worker = spawn();
  return {
    translate(delivery) {
      worker ??= spawn();
      const id = nextId++;
      const target = worker;
      return new Promise((resolve) => {
        waiting.set(id, { delivery, resolve });
        target.postMessage({ id, delivery });
      });
    },
    get translated() {
      return translated;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
