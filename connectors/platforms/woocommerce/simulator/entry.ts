// The simulator as the registry starts it (orderbridge simulate woocommerce).
import type { RunningPlatformSimulator } from '../../../manifest.ts';
import { startWooSimulator } from './index.ts';

export async function startWooShop({ port }: { port?: number }): Promise<RunningPlatformSimulator> {
  const consumerKey = 'ck_simulator';
  const consumerSecret = 'cs_simulator';
  const s = await startWooSimulator({ port, consumerKey, consumerSecret });
  return {
    url: s.url,
    hint: `connect it: POST /api/shops {"platform":"woocommerce","url":"${s.url}","consumerKey":"${consumerKey}","consumerSecret":"${consumerSecret}",`
      + `"deliveryUrl":"http://127.0.0.1:8787/webhooks/woocommerce"} (your orderbridge's address); store actions under ${s.url}/_sim/`,
    close: () => s.close(),
  };
}
