// The translation worker's entry: parses and maps Shopify webhooks for the event loop (src/node/translationThread.ts),
// and reads resyncs' pages (src/node/resyncThread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { portable, translateShopify, type ShopifyDelivery } from '../app/webhooks/shopify/translation.ts';
import { serveResyncPages, type ResyncCall } from './resyncThread.ts';

const resync = serveResyncPages((workerData as { resync?: object } | null)?.resync ?? {}, (answer) => parentPort!.postMessage(answer));

parentPort!.on('message', (message: { id: number; delivery: ShopifyDelivery } | ResyncCall) => {
  if ('resync' in message) return resync(message);
  const { id, delivery } = message;
  let translation = null;
  try {
    translation = portable(translateShopify(delivery));
  } catch {
    // Null sends it back to be translated on the caller's thread, where any failure is handled as usual.
  }
  parentPort!.postMessage({ id, translation });
});
