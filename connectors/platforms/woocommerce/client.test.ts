import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WooApiError, WooClient } from './client.ts';
import { startWooSimulator, type RunningWooSimulator } from './simulator/index.ts';

const KEY = 'ck_4f0c2e6b1f9a4d1e8b7c3a2d5e6f7a8b9c0d1e2f';
const SECRET = 'cs_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';
const READ_KEY = { consumerKey: 'ck_readonly', consumerSecret: 'cs_readonly', permissions: 'read' as const };
const basic = (k: string, s: string) => `Basic ${Buffer.from(`${k}:${s}`).toString('base64')}`;

let sim: RunningWooSimulator;
let client: WooClient;
const BASE_MS = Date.parse('2025-05-01T00:00:00Z');
const ids: number[] = [];

beforeAll(async () => {
  // site time UTC−3, like the documented sample: local and GMT dates differ by three hours
  sim = await startWooSimulator({ consumerKey: KEY, consumerSecret: SECRET, siteOffsetMinutes: -180, extraKeys: [READ_KEY] });
  client = new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET });
  for (let i = 0; i < 250; i++) {
    // one order per hour from 2025-05-01T00:00:00Z
    const created = new Date(BASE_MS + i * 3_600_000).toISOString().slice(0, 19);
    const o = await sim.createOrder({ date_created_gmt: created, line_items: [{ name: `Item ${i}`, quantity: 1, price: '10.00' }], set_paid: i % 2 === 0 });
    ids.push(o.id as number);
  }
});
afterAll(async () => {
  await sim.close();
});

describe('authentication over plain HTTP (OAuth 1.0a from the library)', () => {
  it('accepts the right keys', async () => {
    const page = await client.listOrders({ perPage: 1 });
    expect(page.total).toBe(250);
  });

  it('401 with WooCommerce error JSON on an unknown key', async () => {
    const bad = new WooClient({ url: sim.url, consumerKey: 'ck_wrong', consumerSecret: SECRET });
    const err = await bad.listOrders().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WooApiError);
    expect(err).toMatchObject({ status: 401, code: 'woocommerce_rest_authentication_error', message: 'WooCommerce 401: Consumer key is invalid.' });
    expect((err as WooApiError).retryable).toBe(false);
  });

  it('401 on a wrong secret (the signature does not match)', async () => {
    const bad = new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: 'cs_wrong' });
    await expect(bad.getOrder(ids[0]!)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('Invalid signature') });
  });

  it('401 without credentials, with the exact WordPress body', async () => {
    const res = await fetch(`${sim.url}/wp-json/wc/v3/orders`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
  });

  it('a replayed OAuth request (same nonce) is refused', async () => {
    // sign one request with the library's own OAuth signer, then send it twice
    type Signer = { _getUrl(e: string, p: object): string; _getOAuth(): { authorize(r: object): Record<string, string> } };
    const mod = (await import('@woocommerce/woocommerce-rest-api')) as unknown as { default: { default?: new (o: object) => Signer } };
    const Ctor = mod.default.default ?? (mod.default as unknown as new (o: object) => Signer);
    const lib = new Ctor({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET });
    const url = new URL(lib._getUrl('orders', { per_page: 1 }));
    for (const [k, v] of Object.entries(lib._getOAuth().authorize({ url: url.toString(), method: 'GET' }))) url.searchParams.set(k, v);
    expect((await fetch(url)).status).toBe(200);
    const replay = await fetch(url);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ message: 'Invalid nonce - nonce has already been used.' });
  });

  it('Basic auth and query-string keys work too; a read-only key cannot create webhooks', async () => {
    const viaBasic = await fetch(`${sim.url}/wp-json/wc/v3/orders?per_page=1`, { headers: { authorization: basic(KEY, SECRET) } });
    expect(viaBasic.status).toBe(200);
    const viaQuery = await fetch(`${sim.url}/wp-json/wc/v3/orders?per_page=1&consumer_key=${KEY}&consumer_secret=${SECRET}`);
    expect(viaQuery.status).toBe(200);
    const wrongSecret = await fetch(`${sim.url}/wp-json/wc/v3/orders`, { headers: { authorization: basic(KEY, 'nope') } });
    expect(await wrongSecret.json()).toEqual({ code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.', data: { status: 401 } });
    const reader = new WooClient({ url: sim.url, consumerKey: READ_KEY.consumerKey, consumerSecret: READ_KEY.consumerSecret });
    expect((await reader.listOrders({ perPage: 1 })).total).toBe(250);
    await expect(reader.createWebhook({ topic: 'order.created', deliveryUrl: 'http://127.0.0.1:1/', secret: 's' }))
      .rejects.toMatchObject({ status: 401, message: expect.stringContaining('does not have write permissions') });
  });
});

describe('paging', () => {
  it('X-WP-Total and X-WP-TotalPages across 250 orders, 100 per page', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => client.listOrders({ page, perPage: 100, orderby: 'id', order: 'asc' })));
    expect(pages.map((p) => [p.total, p.totalPages, p.orders.length])).toEqual([[250, 3, 100], [250, 3, 100], [250, 3, 50], [250, 3, 0]]);
    const seen = pages.flatMap((p) => p.orders.map((o) => (o as { id: number }).id));
    expect(seen).toEqual(ids);
  });

  it('defaults to newest first; Link header carries prev and next', async () => {
    const res = await fetch(`${sim.url}/wp-json/wc/v3/orders?page=2&per_page=10`, { headers: { authorization: basic(KEY, SECRET) } });
    const body = (await res.json()) as Array<{ id: number }>;
    expect(body.map((o) => o.id)).toEqual(ids.slice().reverse().slice(10, 20));
    const link = res.headers.get('link')!;
    expect(link).toContain('page=1');
    expect(link).toContain('rel="prev"');
    expect(link).toContain('page=3');
    expect(link).toContain('rel="next"');
    expect(link).not.toContain('consumer');
  });

  it('per_page outside 1..100 is a 400 rest_invalid_param', async () => {
    await expect(client.listOrders({ perPage: 101 })).rejects.toMatchObject({ status: 400, code: 'rest_invalid_param' });
    await expect(client.listOrders({ perPage: 0 })).rejects.toMatchObject({ status: 400, code: 'rest_invalid_param' });
  });

  it('iterateOrders walks a whole date range page by page, with resumable cursors', async () => {
    const got: number[] = [];
    const cursors: Array<number | null> = [];
    for await (const page of client.iterateOrders({ from: '2025-05-01T00:00:00Z', to: '2025-06-01T00:00:00Z', perPage: 100 })) {
      got.push(...page.orders.map((o) => (o as { id: number }).id));
      cursors.push(page.nextPage);
    }
    expect(got).toEqual(ids);
    expect(cursors).toEqual([2, 3, null]);
    const resumed: number[] = [];
    for await (const page of client.iterateOrders({ from: '2025-05-01T00:00:00Z', to: '2025-06-01T00:00:00Z', startPage: 3 })) {
      resumed.push(...page.orders.map((o) => (o as { id: number }).id));
    }
    expect(resumed).toEqual(ids.slice(200));
  });
});

describe('date filters in GMT', () => {
  it('after/before select by date_created_gmt; `from` is inclusive, `to` exclusive', async () => {
    // orders 10..14 were created at 10:00..14:00 GMT on 2025-05-01
    const got: number[] = [];
    for await (const page of client.iterateOrders({ from: '2025-05-01T10:00:00Z', to: '2025-05-01T15:00:00Z' })) {
      got.push(...page.orders.map((o) => (o as { id: number }).id));
    }
    expect(got).toEqual(ids.slice(10, 15));
    const page = await client.listOrders({ after: '2025-05-01T10:00:00Z', before: '2025-05-01T15:00:00Z' });
    expect(page.orders.map((o) => (o as { id: number }).id).sort((a, b) => a - b)).toEqual(ids.slice(11, 15)); // after is exclusive
  });

  it('the same wall-clock without dates_are_gmt is site time (UTC−3): three orders later', async () => {
    const res = await fetch(`${sim.url}/wp-json/wc/v3/orders?after=2025-05-01T10:00:00&before=2025-05-01T12:00:00&per_page=100&orderby=id&order=asc`, { headers: { authorization: basic(KEY, SECRET) } });
    const body = (await res.json()) as Array<{ id: number; date_created: string; date_created_gmt: string }>;
    // site 10:00..12:00 = GMT 13:00..15:00, exclusive → the 14:00 GMT order only
    expect(body.map((o) => o.id)).toEqual([ids[14]]);
    expect(body[0]).toMatchObject({ date_created: '2025-05-01T11:00:00', date_created_gmt: '2025-05-01T14:00:00' });
  });

  it('modified range follows updates; trash is not part of "any"', async () => {
    const id = ids[3]!;
    await sim.updateOrder(id, { status: 'completed' });
    const recent = await client.listOrders({ modifiedAfter: new Date(Date.now() - 3_600_000), modifiedBefore: new Date(Date.now() + 3_600_000) });
    expect(recent.orders.map((o) => (o as { id: number }).id)).toContain(id);
    expect(recent.orders.find((o) => (o as { id: number }).id === id)).toMatchObject({ status: 'completed' });

    await sim.deleteOrder(ids[4]!);
    const any = await client.listOrders({ perPage: 100 });
    expect(any.total).toBe(249);
    const trash = await client.listOrders({ status: 'trash' });
    expect(trash.orders.map((o) => (o as { id: number }).id)).toEqual([ids[4]]);
    const completed = await client.listOrders({ status: ['completed'] });
    expect(completed.orders.map((o) => (o as { id: number }).id)).toEqual([id]);
    await sim.restoreOrder(ids[4]!);
  });

  it('an invalid date is a 400', async () => {
    const res = await fetch(`${sim.url}/wp-json/wc/v3/orders?after=yesterday`, { headers: { authorization: basic(KEY, SECRET) } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'rest_invalid_param', data: { status: 400, params: { after: 'Invalid date.' } } });
  });

  it('unknown order id is a 404 woocommerce_rest_shop_order_invalid_id', async () => {
    await expect(client.getOrder(999_999)).rejects.toMatchObject({ status: 404, code: 'woocommerce_rest_shop_order_invalid_id' });
  });
});

describe('webhooks through the REST API', () => {
  it('create, list and delete (force=true); deleting without force is 501', async () => {
    const created = await client.createWebhook({ topic: 'order.created', deliveryUrl: 'http://127.0.0.1:9/hook', secret: 'x', name: 'orderbridge' });
    expect(created).toEqual({ id: created.id, name: 'orderbridge', status: 'active', topic: 'order.created', deliveryUrl: 'http://127.0.0.1:9/hook' });
    expect((await client.listWebhooks()).map((w) => w.id)).toContain(created.id);
    const noForce = await fetch(`${sim.url}/wp-json/wc/v3/webhooks/${created.id}`, { method: 'DELETE', headers: { authorization: basic(KEY, SECRET) } });
    expect(noForce.status).toBe(501);
    expect(await noForce.json()).toMatchObject({ code: 'woocommerce_rest_trash_not_supported' });
    await client.deleteWebhook(created.id);
    expect((await client.listWebhooks()).map((w) => w.id)).not.toContain(created.id);
    await expect(client.deleteWebhook(created.id)).rejects.toMatchObject({ status: 404, code: 'woocommerce_rest_webhook_invalid_id' });
  });

  it('rejects an invalid topic and delivery URL', async () => {
    await expect(client.createWebhook({ topic: 'order.exploded', deliveryUrl: 'http://127.0.0.1:9/', secret: 's' }))
      .rejects.toMatchObject({ status: 400, code: 'woocommerce_rest_webhook_invalid_topic' });
    await expect(client.createWebhook({ topic: 'order.created', deliveryUrl: 'ftp://example.com/', secret: 's' }))
      .rejects.toMatchObject({ status: 400, code: 'woocommerce_rest_webhook_invalid_delivery_url' });
  });
});

describe('faults', () => {
  it('a 503 from the store is a retryable WooApiError', async () => {
    sim.faults.set({ serverErrorRate: 1 });
    try {
      const err = await client.listOrders().catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 503 });
      expect((err as WooApiError).retryable).toBe(true);
    } finally {
      sim.faults.clear();
    }
  });
});
