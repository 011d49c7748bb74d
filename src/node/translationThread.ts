import type { Worker } from 'node:worker_threads';
import { startTsWorker } from './tsWorker.ts';
import { translateShopify, type ShopifyDelivery, type ShopifyTranslation, type ShopifyTranslator } from '../app/webhooks/shopify/translation.ts';
import type { PlatformResyncOptions } from '../../connectors/manifest.ts';
import { jsonLineLogger, type Logger } from '../core/observability/logger.ts';
import type { ResyncReader } from '../core/resync/source.ts';
import { threadResyncReader, type ResyncAnswer } from './resyncThread.ts';

export interface TranslationThread {
  translate: ShopifyTranslator;
  /** Resyncs' pages read, mapped and packed on the thread (src/node/resyncThread.ts). */
  resync: ResyncReader;
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
 * Resyncs read their pages there too, yielding to webhooks between a few orders.
 */
export function startTranslationThread(options: { resync?: PlatformResyncOptions; logger?: Logger } = {}): TranslationThread {
  const logger = options.logger ?? jsonLineLogger();
  let worker: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let translated = 0;
  const here = (w: Waiting) => w.resolve(translateShopify(w.delivery));
  // Loading a platform's resync source holds the thread ~0.1-0.4 s (Shopify's client libraries): webhooks meanwhile are translated here.
  let loadedSources = new Set<string>();
  const loadingSessions = new Set<number>();
  const resync = threadResyncReader((call) => {
    if (call.resync === 'open' && !loadedSources.has(call.platform)) {
      loadedSources.add(call.platform);
      loadingSessions.add(call.session);
    } else if (call.resync === 'close') loadingSessions.delete(call.session);
    (worker ??= spawn()).postMessage(call);
  });
  const recover = (from: Worker) => {
    if (worker === from) worker = null;
    loadedSources = new Set();
    loadingSessions.clear();
    for (const w of waiting.values()) here(w);
    waiting.clear();
    resync.failAll('the translation thread stopped');
  };
  const spawn = (): Worker => {
    const w = startTsWorker(new URL('./translationThread.worker.ts', import.meta.url), { workerData: { resync: options.resync ?? {} } });
    w.on('message', (message: { id: number; translation: ShopifyTranslation | null } | ResyncAnswer) => {
      if ('resyncSession' in message) {
        if (message.ready) loadingSessions.delete(message.resyncSession);
        return resync.answer(message);
      }
      const { id, translation } = message;
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
      if (loadingSessions.size > 0) return Promise.resolve(translateShopify(delivery));
      worker ??= spawn();
      const id = nextId++;
      const target = worker;
      return new Promise((resolve) => {
        waiting.set(id, { delivery, resolve });
        target.postMessage({ id, delivery });
      });
    },
    resync,
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
