// Continuous reconciliation: an order changed in the shop without a webhook (lost, or never sent) is delivered by
// the next pass, which /health shows (when it ended, orders repaired).
import { expect, it } from 'vitest';
import { startShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { mapShopifyOrder } from '../mappings/platforms/shopify/order.ts';
import { parseJsonLossless } from '../src/core/canonical/index.ts';
import { startOrderbridge } from './support/orderbridgeProcess.ts';
import { api, heldOrders, localStore, RESYNC_TOKEN } from './support/resyncHarness.ts';
import { eventually } from './support/shopifySender.ts';

const DAY = 86_400_000;

it('delivers an order changed without a webhook at the next pass, and /health shows the pass', { timeout: 120_000 }, async () => {
  const now = Date.now();
  const sim = await startShopifySimulator({
    shop: 'reconcile.myshopify.com', orders: 200, from: new Date(now - 60 * DAY).toISOString(), to: new Date(now - 30 * DAY).toISOString(),
    bucket: { restoreRate: 50_000 }, maxQueryCost: 20_000,
  });
  const ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, SHOPIFY_ADMIN_URL: sim.url, SHOPIFY_MAX_QUERY_COST: '20000', RECONCILE_INTERVAL: '1s', DELIVERY_POLL_MS: '20' });
  try {
    const health = async () => (await (await fetch(`${ob.url}/health`)).json()) as { reconcile: { everySeconds: number; lastPass: { repaired: number; at: string } | null; repairedSinceStart: number } };
    expect((await health()).reconcile).toMatchObject({ everySeconds: 1, lastPass: null, repairedSinceStart: 0 });
    const shop = await api(ob, 'POST', '/shops', { platform: 'shopify', shop: sim.shop, accessToken: sim.accessToken, deliveryUrl: `${ob.url}/webhooks/shopify` });
    const shopId = shop.json.shop.id as string;
    // Passes run and find nothing changed lately (the orders are a month old and not held: nothing to repair).
    const quiet = await eventually(async () => ((await health()).reconcile.lastPass ? (await health()).reconcile : undefined), 20_000, 'a first pass');
    expect(quiet.repairedSinceStart).toBe(0);

    const [id] = sim.orderIds();
    sim.changeOrder(id!, { note: 'changed, and its webhook lost', fulfill: { number: 'LOST-1' } });
    const key = `${shopId}:${id}`;
    await eventually(async () => (localStore(ob.databasePath, shopId).rows.some((r) => r.key === key) ? true : undefined), 30_000, 'the order delivered');
    expect(heldOrders(ob.databasePath, shopId).get(key)).toEqual(mapShopifyOrder(parseJsonLossless(sim.webhookBody(id!)), sim.shop));
    const repaired = await eventually(async () => {
      const r = (await health()).reconcile;
      return r.repairedSinceStart >= 1 ? r : undefined;
    }, 20_000, 'the repair counted');
    expect(repaired.repairedSinceStart).toBe(1);
    // Passes are jobs: listed as reconcile resyncs by update time.
    const listed = await api(ob, 'GET', `/resync?shop=${encodeURIComponent(shopId)}`);
    expect(listed.json.items[0]).toMatchObject({ reconcile: true, range: { by: 'updated' } });
  } finally {
    await ob.stop();
    await sim.close();
  }
});
