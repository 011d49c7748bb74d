import type { Worker } from 'node:worker_threads';
import { startTsWorker } from './tsWorker.ts';
import { translateShopify, translateShopifyHere, type ShopifyDelivery, type ShopifyTranslation, type ShopifyTranslator } from '../app/webhooks/shopify/translation.ts';
import type { Platform } from '../core/canonical/index.ts';
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
  const sourcesReady = new Set<Platform>();
  /** Sessions whose open started a platform's load on the thread, until the thread says it is done. */
  const sourcesLoading = new Map<number, Platform>();
  const resync = threadResyncReader((call) => {
    if (call.resync === 'open' && !sourcesReady.has(call.platform) && ![...sourcesLoading.values()].includes(call.platform)) {
      sourcesLoading.set(call.session, call.platform);
    }
    (worker ??= spawn()).postMessage(call);
  });
  const recover = (from: Worker) => {
    if (worker !== from && worker !== null) return; // an old thread's exit after its error: what waits is the new thread's
    worker = null;
    sourcesReady.clear();
    sourcesLoading.clear();
    for (const w of waiting.values()) here(w);
    waiting.clear();
    resync.failAll('the translation thread stopped');
  };
  const spawn = (): Worker => {
    const w = startTsWorker(new URL('./translationThread.worker.ts', import.meta.url), { workerData: { resync: options.resync ?? {} } });
    w.on('message', (message: { id: number; translation: ShopifyTranslation | null } | ResyncAnswer) => {
      if ('resyncSession' in message) {
        const loading = sourcesLoading.get(message.resyncSession);
        if (message.ready && loading) {
          sourcesLoading.delete(message.resyncSession);
          if (!message.loadFailed) sourcesReady.add(loading);
        }
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
      if (sourcesLoading.size > 0) return translateShopifyHere(delivery);
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
