// Shopify: the platform's manifest, as connectors/index.ts lists it, and its webhook verification.
import type { PlatformManifest } from '../../manifest.ts';

export { createShopifyVerifier, isShopDomain, webCryptoHmacCheck, type HmacCheck, type ShopifyVerification } from './webhookVerifier.ts';

export const shopifyPlatform: PlatformManifest = {
  role: 'platform',
  platform: 'shopify',
  title: 'Shopify (webhooks, API 2026-01)',
  readme: 'connectors/platforms/shopify/README.md',
  simulator: {
    name: 'shopify',
    what: 'a Shopify shop (Admin GraphQL API: orders, cost and leaky bucket, bulk operations, webhook subscriptions)',
    start: async (options) => (await import('./simulator/entry.ts')).startShopifyShop(options),
  },
  resync: async (o) => (await import('./resync.ts')).shopifyResyncSource({
    bulkAbove: o.bulkAbove, apiBaseUrl: o.shopifyAdminUrl, maxQueryCost: o.shopifyMaxQueryCost,
  }),
};
