import type { ResyncSources } from '../core/resync/resyncJobs.ts';
import { resyncSourcesOf } from './resyncThread.ts';
import type { NodeConfig } from './config.ts';

/**
 * Each platform's resync reader as the Node runtime configures it (the server and `orderbridge resync` on the
 * database alike), loaded with its API client when a resync of that platform first runs. With SHOPIFY_ADMIN_URL (a
 * simulator standing in for Shopify) every Admin API call goes there.
 */
export async function nodeResyncSources(config: Pick<NodeConfig, 'RESYNC_BULK_ABOVE' | 'SHOPIFY_ADMIN_URL' | 'SHOPIFY_MAX_QUERY_COST'>): Promise<ResyncSources> {
  if (config.SHOPIFY_ADMIN_URL) (await import('../../connectors/platforms/shopify/admin/runtime.ts')).routeEveryShopifyShop(config.SHOPIFY_ADMIN_URL);
  const options = { bulkAbove: config.RESYNC_BULK_ABOVE, shopifyAdminUrl: config.SHOPIFY_ADMIN_URL, shopifyMaxQueryCost: config.SHOPIFY_MAX_QUERY_COST };
  return resyncSourcesOf(options);
}
