// An order a resync reads that does not map is kept, not only counted: in the quarantine a bad webhook goes to
// (GET /api/quarantine, the console's page) with the job's id and the platform's order id, and the job's lastError
// says where to look. A WooCommerce simulator behind a front that breaks one order's total, on loopback.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOnLoopback, type RunningServer } from '../connectors/simulator-kit/index.ts';
import { createWooSimulator, type WooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { api, delivered, resync, RESYNC_TOKEN } from './support/resyncHarness.ts';

describe('a resync keeps the orders it cannot map in quarantine', () => {
  let woo: WooSimulator;
  let front: RunningServer;
  let ob: OrderbridgeProcess;
  let shopId: string;
  let broken: number;
  const ids: number[] = [];

  beforeAll(async () => {
    woo = createWooSimulator({ consumerKey: 'ck_q', consumerSecret: 'cs_q', storeCurrency: 'EUR' });
    for (let i = 0; i < 5; i++) {
      const o = await woo.createOrder({ set_paid: true, billing: { email: `kund${i}@example.com` }, line_items: [{ name: 'Kaffe', product_id: 7, quantity: 1, price: '49.00' }] });
      ids.push(o.id as number);
    }
    broken = ids[2]!;
    // The shop's REST answers as they are, but for one order whose total is no amount.
    const app = new Hono();
    app.all('*', async (c) => {
      const answer = await woo.app.fetch(c.req.raw);
      if (c.req.method !== 'GET' || !new URL(c.req.url).pathname.endsWith('/wc/v3/orders') || answer.status !== 200) return answer;
      const orders = (await answer.json()) as Array<Record<string, unknown>>;
      for (const o of orders) if (o.id === broken) o.total = 'twelve euros';
      const paging: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name.startsWith('x-wp-')) paging[name] = value;
      });
      return c.json(orders, 200, paging);
    });
    front = await serveOnLoopback(app);
    woo.setSiteUrl(front.url);
    ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, DELIVERY_POLL_MS: '20' });
    const r = await api(ob, 'POST', '/shops', {
      platform: 'woocommerce', url: front.url, consumerKey: 'ck_q', consumerSecret: 'cs_q', storeCurrency: 'EUR', registerWebhooks: false, webhookSecret: 'q-secret',
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    shopId = r.json.shop.id as string;
  }, 60_000);
  afterAll(async () => {
    await ob?.stop();
    await front?.close();
  });

  it('quarantines the order with the job and its id; the job counts it failed and its lastError names where it is', async () => {
    const job = await resync(ob, shopId, { from: '2020-01-01', to: '2100-01-01' });
    expect(job).toMatchObject({
      state: 'done', orders: { seen: 5, queued: 4, failed: 1 },
      lastError: `1 order(s) did not map: kept in quarantine (GET /api/quarantine?job=${job.id})`,
    });
    await delivered(ob, shopId, 4);

    const kept = await api(ob, 'GET', `/quarantine?job=${job.id}`);
    expect(kept.status).toBe(200);
    expect(kept.json.items).toHaveLength(1);
    const item = kept.json.items[0];
    expect(item).toMatchObject({
      platform: 'woocommerce', shopId, topic: 'resync', jobId: job.id, orderId: String(broken), deliveryId: null,
      error: expect.stringMatching(new RegExp(`^resync ${job.id}: order ${broken} did not map: .*total`)),
    });
    // The order as the platform gave it, to look at.
    expect(JSON.parse(item.body)).toMatchObject({ id: broken, total: 'twelve euros' });
    // The same quarantine as a bad webhook's: listed without the filter too; another job's filter holds nothing.
    expect((await api(ob, 'GET', '/quarantine')).json.items.map((q: { id: number }) => q.id)).toContain(item.id);
    expect((await api(ob, 'GET', `/quarantine?job=${job.id + 1}`)).json.items).toEqual([]);
    expect((await api(ob, 'GET', '/quarantine?job=none')).status).toBe(400);
  });
});
