import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from './support/database.ts';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'topics-secret';
const TOKEN = 'topics-token';
const SHOP = 'topics-shop.myshopify.com';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/shopify', name), 'utf8');

describe('every Shopify topic the connector subscribes to, over HTTP', () => {
  let ob: OrderbridgeProcess;
  const send = (topic: string, body: string, extra: { webhookId?: string; triggeredAt?: string } = {}) =>
    sendShopifyWebhook(ob.url, { topic, body, secret: SECRET, shop: SHOP, ...extra }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  const local = (key: string, until: (o: Record<string, any>) => boolean = () => true) =>
    eventually(async () => {
      const r = await fetch(`${ob.url}/api/orders/${encodeURIComponent(key)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (r.status !== 200) return undefined;
      const o = (await r.json()) as Record<string, any>;
      return until(o) ? o : undefined;
    }, 10_000, key);
  const events = async (key: string) =>
    ((await (await fetch(`${ob.url}/api/orders/${encodeURIComponent(key)}/events`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { events: Array<{ type: string }> }).events.map((e) => e.type);

  beforeAll(async () => {
    ob = await startOrderbridge({ SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: TOKEN, DELIVERY_POLL_MS: '20' });
  });
  afterAll(async () => {
    await ob?.stop();
  });

  it('orders/paid, fulfilled, partially_fulfilled and cancelled each become a version with its lifecycle event', async () => {
    const id = '820982911946154900';
    const key = `shopify:${SHOP}:${id}`;
    const version = (at: string, patch: (o: Record<string, unknown>) => void) => {
      const o = JSON.parse(shopifyDocsOrderBody({ id: '1', updatedAt: at })) as Record<string, unknown>;
      patch(o);
      return JSON.stringify(o).replace('"id":1,', `"id":${id},`).replace('gid://shopify/Order/1"', `gid://shopify/Order/${id}"`);
    };
    expect((await send('orders/paid', version('2024-06-01T10:00:00Z', (o) => { o.financial_status = 'paid'; }))).body).toMatchObject({ outcome: 'accepted', orderKey: key });
    await local(key, (o) => o.status === 'paid');
    await send('orders/partially_fulfilled', version('2024-06-01T11:00:00Z', (o) => { o.financial_status = 'paid'; o.fulfillment_status = 'partial'; }));
    await send('orders/fulfilled', version('2024-06-01T12:00:00Z', (o) => { o.financial_status = 'paid'; o.fulfillment_status = 'fulfilled'; }));
    const fulfilled = await local(key, (o) => o.status === 'fulfilled');
    expect(fulfilled.fulfillmentStatus).toBe('fulfilled');
    await send('orders/cancelled', version('2024-06-01T13:00:00Z', (o) => { o.cancelled_at = '2024-06-01T13:00:00Z'; o.cancel_reason = 'customer'; }));
    const cancelled = await local(key, (o) => o.status === 'cancelled');
    expect(cancelled.cancelledAt).toBe('2024-06-01T13:00:00.000Z');
    expect(cancelled.cancelReason).toBe('customer');
    const seen = await eventually(async () => {
      const e = await events(key);
      return e.includes('order.cancelled') ? e : undefined;
    });
    expect(seen).toEqual(expect.arrayContaining(['order.paid', 'order.fulfilled', 'order.cancelled']));
  });

  it('refunds/create amends the stored order; a refund for an unknown order is quarantined, not lost', async () => {
    const order = fixture('order-taxes-included-refunds.json');
    const key = `shopify:${SHOP}:5813392097328`;
    await send('orders/create', order);
    const before = await local(key);
    const refunded = await send('refunds/create', fixture('refund-create.json'));
    expect(refunded.body).toMatchObject({ outcome: 'accepted', orderKey: key });
    const after = await local(key, (o) => o.status === 'refunded');
    expect(after.totals.refunded).toBe(after.totals.total);
    expect(after.refunds.length).toBe(before.refunds.length + 1);
    const again = await send('refunds/create', fixture('refund-create.json'));
    expect(again.body).toMatchObject({ outcome: 'ignored' }); // the same refund under a new webhook id changes nothing

    const orphan = fixture('refund-create.json').replace(/"order_id": *5813392097328/, '"order_id": 111');
    const quarantined = await send('refunds/create', orphan);
    expect(quarantined.body).toMatchObject({ outcome: 'quarantined' });
    const q = await (await fetch(`${ob.url}/api/quarantine`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { items: Array<{ body: string; error: string }> };
    expect(q.items.some((i) => i.body === orphan && /not known/.test(i.error))).toBe(true);
  });

  it('orders/delete marks a known order deleted and a later stale update cannot bring it back', async () => {
    const id = '820982911946154508';
    const key = `shopify:${SHOP}:${id}`;
    await send('orders/create', shopifyDocsOrderBody({ id, updatedAt: '2024-07-01T10:00:00Z' }));
    await local(key);
    const deleted = await send('orders/delete', fixture('order-delete.json'), { triggeredAt: '2024-07-02T10:00:00Z' });
    expect(deleted.body).toMatchObject({ outcome: 'accepted', orderKey: key });
    const gone = await local(key, (o) => o.status === 'deleted');
    expect(gone.totals.total).toBe(59894);
    const late = await send('orders/updated', shopifyDocsOrderBody({ id, updatedAt: '2024-07-01T12:00:00Z' }));
    expect(late.body).toMatchObject({ outcome: 'stale' });
  });

  it('checkouts/create and checkouts/update become an abandoned cart keyed by the checkout token', async () => {
    const r = await send('checkouts/update', fixture('checkout-update.json'));
    const key = `shopify:${SHOP}:checkout:b3d8c1f0a5e24d6f9c7a1e2b3c4d5e6f`;
    expect(r.body).toMatchObject({ outcome: 'accepted', orderKey: key });
    const cart = await local(key);
    expect(cart.status).toBe('abandoned');
    expect(cart.customer.email.toLowerCase()).toBe('anna@example.de');
    // Shown where it is stored a moment before it is delivered: wait for its event.
    expect(await eventually(async () => ((await events(key)).length > 0 ? events(key) : undefined), 10_000, 'the cart delivered')).toEqual(['checkout.abandoned']);
  });

  it('customers/data_request is acknowledged and recorded; app/uninstalled marks the shop; shop/redact removes everything of the shop', async () => {
    const dataRequest = `{"shop_id":1,"shop_domain":"${SHOP}","orders_requested":[1],"customer":{"id":1,"email":"a@example.com","phone":null},"data_request":{"id":9}}`;
    const dr = await send('customers/data_request', dataRequest, { webhookId: 'dr-1' });
    expect(dr.status).toBe(200);
    expect(query(ob.databasePath, 'SELECT outcome FROM receipts WHERE id = ?', `shopify:${SHOP}:dr-1`)).toEqual([{ outcome: 'ignored' }]);

    expect((await send('app/uninstalled', `{"id":1,"domain":"${SHOP}"}`)).status).toBe(200);
    const shop = await (await fetch(`${ob.url}/api/shops/shopify:${SHOP}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { uninstalledAt: string | null };
    expect(shop.uninstalledAt).not.toBeNull();

    const redact = await send('shop/redact', `{"shop_id":1,"shop_domain":"${SHOP}"}`);
    expect(redact.body).toMatchObject({ outcome: 'redacted' });
    for (const table of ['orders', 'local_orders', 'outbox', 'quarantine']) {
      expect(query(ob.databasePath, `SELECT count(*) AS n FROM ${table} WHERE ${table === 'local_orders' || table === 'orders' || table === 'quarantine' ? 'shop_id' : 'destination_id'} LIKE ?`, `shopify:${SHOP}%`), table).toEqual([{ n: 0 }]);
    }
    // The shop stays uninstalled: the redact did not bring it back.
    const after = await (await fetch(`${ob.url}/api/shops/shopify:${SHOP}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { uninstalledAt: string | null };
    expect(after.uninstalledAt).not.toBeNull();
  });
});
