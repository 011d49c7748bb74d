// The simulator as the registry starts it (orderbridge simulate shopify).
import type { PlatformSimulatorOptions, RunningPlatformSimulator } from '../../../manifest.ts';
import { startShopifySimulator } from './index.ts';

export async function startShopifyShop({ port, orders = 1000, restoreRate = 100 }: PlatformSimulatorOptions): Promise<RunningPlatformSimulator> {
  const accessToken = 'shpat_simulator';
  const apiSecret = 'shopify-simulator-secret';
  const s = await startShopifySimulator({ port, orders, accessToken, apiSecret, bucket: { restoreRate } });
  return {
    url: s.url,
    hint: `shop ${s.shop}, ${orders} orders over the last 90 days, restore rate ${restoreRate} points/s\n`
      + `Admin API: POST ${s.graphqlUrl()} with X-Shopify-Access-Token: ${accessToken}\n`
      + `webhooks it sends are signed with the app secret "${apiSecret}" (orderbridge's SHOPIFY_API_SECRET); store actions under ${s.url}/_sim/\n`
      + `OAuth: ${s.url}/admin/oauth/authorize approves client id "${s.apiKey}" (SHOPIFY_API_KEY) at once`,
    close: () => s.close(),
  };
}
