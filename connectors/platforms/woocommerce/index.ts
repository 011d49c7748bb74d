// WooCommerce: the platform's manifest, as connectors/index.ts lists it, and its webhook verification. The REST
// client (client.ts, on axios) is imported where it is used, so that what reads the registry (the preparation
// threads) does not load it; the simulator is reached only through the manifest, when asked for.
import type { PlatformManifest } from '../../manifest.ts';

export { verifyWooSignature, signWooBody, readWooWebhook, wooReceiptKey, generateWebhookSecret, type WooWebhook } from './webhook.ts';

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
  resync: async () => (await import('./resync.ts')).wooResyncSource(),
};
