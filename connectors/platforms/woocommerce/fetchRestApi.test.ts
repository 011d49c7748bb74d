// The REST client over fetch (what the Worker bundles in place of the axios one) makes the requests the npm client
// makes: the same WooClient calls, against the simulator that checks OAuth 1.0a signatures, nonces and permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WooClient, type RestApiCtor } from './client.ts';
import FetchRestApi from './fetchRestApi.ts';
import { startWooSimulator, type RunningWooSimulator } from './simulator/index.ts';

const KEY = 'ck_4f0c2e6b1f9a4d1e8b7c3a2d5e6f7a8b9c0d1e2f';
const SECRET = 'cs_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';
const READ_KEY = { consumerKey: 'ck_readonly', consumerSecret: 'cs_readonly', permissions: 'read' as const };
const RestApi = FetchRestApi as unknown as RestApiCtor;

let sim: RunningWooSimulator;
beforeAll(async () => {
  sim = await startWooSimulator({ consumerKey: KEY, consumerSecret: SECRET, extraKeys: [READ_KEY] });
  for (let i = 0; i < 30; i++) {
    await sim.createOrder({ date_created_gmt: new Date(Date.parse('2025-05-01T00:00:00Z') + i * 3_600_000).toISOString().slice(0, 19), line_items: [{ name: `Item ${i}`, quantity: 1, price: '10.00' }] });
  }
});
afterAll(() => sim.close());

describe('the WooCommerce REST client over fetch (OAuth 1.0a over plain HTTP)', () => {
  it('lists orders of a range a page at a time, with the totals WordPress sends', async () => {
    const client = new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET, RestApi });
    const page = await client.listOrders({ perPage: 10, page: 2, status: ['pending', 'processing'], after: '2025-05-01T04:30:00Z' });
    expect(page).toMatchObject({ total: 25, totalPages: 3 });
    expect(page.orders).toHaveLength(10);
    const pages = [];
    for await (const p of client.iterateOrders({ from: '2025-05-01T10:00:00Z', to: '2025-05-01T20:00:00Z', perPage: 4 })) pages.push(p.orders.length);
    expect(pages).toEqual([4, 4, 2]);
  });

  it('creates, lists and deletes webhooks (JSON bodies and DELETE ?force=true signed too)', async () => {
    const client = new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET, RestApi });
    const created = await client.createWebhook({ topic: 'order.created', deliveryUrl: 'http://127.0.0.1:9/hook', secret: 'x', name: 'orderbridge' });
    expect(created).toEqual({ id: created.id, name: 'orderbridge', status: 'active', topic: 'order.created', deliveryUrl: 'http://127.0.0.1:9/hook' });
    expect((await client.listWebhooks()).map((w) => w.id)).toContain(created.id);
    await client.deleteWebhook(created.id);
    expect((await client.listWebhooks()).map((w) => w.id)).not.toContain(created.id);
  });

  it('is refused as the npm client is: a wrong secret, an unknown key, a read key writing', async () => {
    const wrong = new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: 'cs_wrong', RestApi });
    await expect(wrong.listOrders()).rejects.toMatchObject({ status: 401, message: expect.stringContaining('Invalid signature') });
    const unknown = new WooClient({ url: sim.url, consumerKey: 'ck_wrong', consumerSecret: SECRET, RestApi });
    await expect(unknown.listOrders()).rejects.toMatchObject({ status: 401, code: 'woocommerce_rest_authentication_error' });
    const reader = new WooClient({ url: sim.url, ...READ_KEY, RestApi });
    await expect(reader.createWebhook({ topic: 'order.created', deliveryUrl: 'http://127.0.0.1:1/', secret: 's' })).rejects.toMatchObject({ status: 401 });
  });
});
