// WooCommerce: the platform's manifest, as connectors/index.ts lists it, and what production code uses of it
// (webhook verification, the REST client). The simulator is reached only through the manifest, when asked for.
import type { PlatformManifest } from '../../manifest.ts';

export { verifyWooSignature, signWooBody, readWooWebhook, wooReceiptKey, generateWebhookSecret, type WooWebhook } from './webhook.ts';
export { WooClient, WooApiError, toWooGmt, type WooClientOptions, type ListOrdersParams, type OrdersPage, type OrderRange, type OrderRangePage, type WooWebhookInfo } from './client.ts';

export const woocommercePlatform: PlatformManifest = {
  role: 'platform',
  platform: 'woocommerce',
  title: 'WooCommerce (REST API v3 webhooks)',
  readme: 'connectors/platforms/woocommerce/README.md',
  simulator: {
    name: 'woocommerce',
    what: 'a WooCommerce shop (REST v3 orders + webhooks, signed deliveries)',
    start: async (options) => (await import('./simulator/entry.ts')).startWooShop(options),
  },
};
