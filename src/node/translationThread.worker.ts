// The translation worker's entry: parses and maps Shopify webhooks for the event loop (src/node/translationThread.ts).
import { parentPort } from 'node:worker_threads';
import { portable, translateShopify, type ShopifyDelivery } from '../app/webhooks/shopify/translation.ts';

parentPort!.on('message', ({ id, delivery }: { id: number; delivery: ShopifyDelivery }) => {
  let translation = null;
  try {
    translation = portable(translateShopify(delivery));
  } catch {
    // Null sends it back to be translated on the caller's thread, where any failure is handled as usual.
  }
  parentPort!.postMessage({ id, translation });
});
