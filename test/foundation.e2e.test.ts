import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, query, tableCounts } from './support/database.ts';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'shpss_test_secret_for_e2e';
const TOKEN = 'admin-token-e2e';
const SHOP = 'demo-shop.myshopify.com';

describe('Shopify webhooks end to end, against the server as npm start runs it', () => {
  let ob: OrderbridgeProcess;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${ob.url}/api${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } });
  const localOrder = (key: string) =>
    eventually(async () => {
      const r = await api(`/orders/${encodeURIComponent(key)}`);
      return r.status === 200 ? ((await r.json()) as Record<string, any>) : undefined;
    }, 10_000, `order ${key} in the local store`);

  beforeAll(async () => {
    ob = await startOrderbridge({ SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: TOKEN, DELIVERY_POLL_MS: '20' });
  });
  afterAll(async () => {
    await ob?.stop();
  });

  it('answers /health without auth', async () => {
    const r = await fetch(`${ob.url}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', outbox: { count: expect.any(Number), capped: false }, deadLetters: { count: 0, capped: false } });
  });

  it('delivers a signed orders/create to the local store with exact canonical values (id beyond 2^53 intact)', async () => {
    const r = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody(), secret: SECRET });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ outcome: 'accepted', orderKey: `shopify:${SHOP}:820982911946154508` });
    const order = await localOrder(`shopify:${SHOP}:820982911946154508`);
    expect(order.source).toMatchObject({ platform: 'shopify', shop: SHOP, orderId: '820982911946154508' });
    expect(order.currency).toBe('USD');
    expect(order.totals).toMatchObject({ total: 59894, tax: 1194, discount: 1000, shipping: 0 });
    expect(order.lineItems.map((l: any) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['IPOD2008GREEN', 1, 19900], ['IPOD2008RED', 1, 19900], ['IPOD2008BLACK', 1, 19900],
    ]);
    expect(order.customer.email).toBe('bob.norman@mail.example.com');
    expect(order.billingAddress.country).toBe('US');
    expect(order.createdAt).toBe('2008-01-10T16:00:00.000Z');
    expect(order.attributes).toMatchObject({ 'custom engraving': 'Happy Birthday', colour: 'green' });
  });

  it('treats a repeated webhook id as one order and one delivery', async () => {
    const body = shopifyDocsOrderBody({ id: '820982911946154601' });
    const first = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body, secret: SECRET, webhookId: 'dup-1' });
    const again = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body, secret: SECRET, webhookId: 'dup-1' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    const key = `shopify:${SHOP}:820982911946154601`;
    const order = await localOrder(key);
    await new Promise((r) => setTimeout(r, 200)); // give a wrongly queued second delivery time to land
    const after = await localOrder(key);
    expect(order.key).toBe(key);
    expect(after._delivery.deliveries).toBe(1);
    expect(query(ob.databasePath, 'SELECT count(*) AS n FROM receipts WHERE id = ?', `shopify:${SHOP}:dup-1`)).toEqual([{ n: 1 }]);
  });

  it('keeps the newer version when an older orders/updated arrives after it', async () => {
    const id = '820982911946154602';
    const key = `shopify:${SHOP}:${id}`;
    const newer = shopifyDocsOrderBody({ id, updatedAt: '2024-05-02T10:00:00Z', note: 'newer' });
    const older = shopifyDocsOrderBody({ id, updatedAt: '2024-05-01T10:00:00Z', note: 'older' });
    expect((await sendShopifyWebhook(ob.url, { topic: 'orders/updated', body: newer, secret: SECRET })).status).toBe(200);
    const stale = await sendShopifyWebhook(ob.url, { topic: 'orders/updated', body: older, secret: SECRET });
    expect(await stale.json()).toMatchObject({ outcome: 'stale' });
    await new Promise((r) => setTimeout(r, 200));
    const order = await localOrder(key);
    expect(order.note).toBe('newer');
    expect(order.updatedAt).toBe('2024-05-02T10:00:00.000Z');
  });

  it('rejects a wrong or missing HMAC with 401 and stores nothing', async () => {
    await new Promise((r) => setTimeout(r, 300)); // let earlier deliveries settle so counts are still
    const before = tableCounts(ob.databasePath);
    const wrong = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: '7' }), secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_signature' });
    const missing = await fetch(`${ob.url}/webhooks/shopify`, { method: 'POST', body: '{}', headers: { 'x-shopify-topic': 'orders/create' } });
    expect(missing.status).toBe(401);
    expect(tableCounts(ob.databasePath)).toEqual(before);
  });

  it('answers bad input with a clear status and JSON, and never crashes', async () => {
    const notJson = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: '{"id": 1,', secret: SECRET });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_json' });

    const huge = JSON.stringify({ id: 1, note: 'x'.repeat(2 * 1024 * 1024 + 10) });
    const tooBig = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: huge, secret: SECRET });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: 'body_too_large' });

    const unknown = await sendShopifyWebhook(ob.url, { topic: 'products/update', body: '{"id":1}', secret: SECRET, webhookId: 'unknown-topic-1' });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ ignored: true });
    expect(query(ob.databasePath, 'SELECT outcome FROM receipts WHERE id = ?', `shopify:${SHOP}:unknown-topic-1`)).toEqual([{ outcome: 'ignored' }]);

    const unreadable = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: '{"id": 5, "line_items": "nope"}', secret: SECRET });
    expect(unreadable.status).toBe(200);
    expect(await unreadable.json()).toMatchObject({ outcome: 'quarantined' });
    const q = await (await api('/quarantine')).json() as { items: Array<{ body: string; error: string; topic: string }> };
    expect(q.items[0]).toMatchObject({ body: '{"id": 5, "line_items": "nope"}', topic: 'orders/create' });
    expect(q.items[0]!.error.length).toBeGreaterThan(10);

    expect((await fetch(`${ob.url}/health`)).status).toBe(200);
  });

  it('protects /api with the bearer token', async () => {
    expect((await fetch(`${ob.url}/api/orders`)).status).toBe(401);
    expect((await fetch(`${ob.url}/api/orders`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const page = await api('/orders?limit=2');
    expect(page.status).toBe(200);
    const body = await page.json() as { orders: unknown[]; nextCursor: string | null };
    expect(body.orders).toHaveLength(2);
    expect(body.nextCursor).not.toBeNull();
    const next = await (await api(`/orders?limit=2&cursor=${encodeURIComponent(body.nextCursor!)}`)).json() as { orders: Array<{ key: string }> };
    expect(next.orders.length).toBeGreaterThan(0);
    expect(next.orders.map((o) => o.key)).not.toContain((body.orders[0] as { key: string }).key);
    expect((await api('/orders?limit=0')).status).toBe(400);
    expect((await api('/outbox')).status).toBe(200);
  });

  it('forgets a customer everywhere on customers/redact', async () => {
    const id = '820982911946154603';
    const body = shopifyDocsOrderBody({ id }).replaceAll('bob.norman@mail.example.com', 'zoe.redact@example.com');
    await sendShopifyWebhook(ob.url, { topic: 'orders/create', body, secret: SECRET });
    // Also leave a quarantined payload that mentions her.
    await sendShopifyWebhook(ob.url, { topic: 'orders/updated', body: '{"id": 9, "email": "zoe.redact@example.com", "line_items": 3}', secret: SECRET });
    await localOrder(`shopify:${SHOP}:${id}`);
    expect(allText(ob.databasePath)).toContain('zoe.redact@example.com');
    // Raw text: the order id is beyond 2^53 and must reach us exactly.
    const redact = `{"shop_id":954889,"shop_domain":"${SHOP}","customer":{"id":207119551,"email":"zoe.redact@example.com","phone":"+557734881234"},"orders_to_redact":[${id}]}`;
    const r = await sendShopifyWebhook(ob.url, { topic: 'customers/redact', body: redact, secret: SECRET });
    expect(r.status).toBe(200);
    const text = allText(ob.databasePath);
    for (const pii of ['zoe.redact@example.com', '+557734881234', 'Norman']) {
      expect(text.includes(pii), `${pii} still stored`).toBe(false);
    }
  });
});
