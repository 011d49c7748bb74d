// What becomes a key is bounded: a shop's host at most 255 characters, a platform id at most 20 digits.
// Each bound through the real app (createApp, real verifiers, SQLite storage): just under it passes, just
// over it is refused (400 naming the problem) or quarantined, and nothing is registered or stored of it.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyVerifier } from '../connectors/platforms/shopify/webhookVerifier.ts';
import { signWooBody } from '../connectors/platforms/woocommerce/index.ts';
import { createApp } from '../src/app/app.ts';
import { WebhookSecrets } from '../src/core/shops/webhookSecrets.ts';
import { openDatabase, type OpenDatabase } from '../src/node/database.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { STORES } from '../connectors/registry.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { ROOT } from './support/orderbridgeProcess.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const SECRET = 'bounds-secret';
const TOKEN = 'bounds-token';
const WOO_SECRET = 'woo-bounds-secret';
const SHOP = 'bounds-shop.myshopify.com';
const MYSHOPIFY = '.myshopify.com';
const scratchDb = scratchDatabases();
const open: OpenDatabase[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});

const digits = (n: number) => '9'.repeat(n);
/** A host name of exactly `length` characters ending in `suffix` (one label: URL parsers take it, DNS would not). */
const hostOf = (length: number, suffix: string) => 'a'.repeat(length - suffix.length) + suffix;
const fixture = (path: string) => readFileSync(join(ROOT, 'test/fixtures', path), 'utf8');

async function withApp() {
  const database = openDatabase(scratchDb('ob-bounds-'));
  open.push(database);
  const clock = { now: () => Date.UTC(2026, 5, 1) };
  const storage = createStorage(database, clock);
  const secrets = await SecretBox.fromPassphrase('bounds-test');
  const app = createApp({
    storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
    config: { adminToken: TOKEN, maxBodyBytes: 2 * 1024 * 1024, publicUrl: null },
    webhookSecrets: new WebhookSecrets(storage.shops, secrets),
    verifyShopify: createShopifyVerifier({ secret: SECRET }),
  });
  const answer = async (r: Response) => ({ status: r.status, body: (await r.json()) as Record<string, any> });
  const shopify = async (topic: string, body: string, domain = SHOP, headers: Record<string, string> = {}) => answer(await app.request('/webhooks/shopify', {
    method: 'POST', body,
    headers: {
      'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-shop-domain': domain,
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body, 'utf8').digest('base64'),
      'x-shopify-api-version': '2026-01', 'x-shopify-webhook-id': randomUUID(), ...headers,
    },
  }));
  const woo = async (topic: string, body: string, source: string, headers: Record<string, string> = {}) => answer(await app.request('/webhooks/woocommerce', {
    method: 'POST', body,
    headers: {
      'content-type': 'application/json', 'x-wc-webhook-source': source, 'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': topic.split('.')[0]!, 'x-wc-webhook-event': topic.split('.')[1]!,
      'x-wc-webhook-signature': await signWooBody(body, WOO_SECRET), 'x-wc-webhook-id': '7', 'x-wc-webhook-delivery-id': randomUUID(), ...headers,
    },
  }));
  const admin = async (method: string, path: string, body: unknown) => answer(await app.request(`/api${path}`, {
    method, body: JSON.stringify(body), headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  }));
  const rows = (sql: string) => database.sqlite.prepare(sql).all() as Array<Record<string, unknown>>;
  const count = (table: string) => (database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { shopify, woo, admin, rows, count };
}

describe('a Shopify shop domain is at most 255 characters', () => {
  it('255 registers the shop; 256 and 3,000 are 400 invalid_shop_domain naming the length, and no shop is made', async () => {
    const h = await withApp();
    const order = fixture('shopify/order-discounts-shipping.json');
    const longest = hostOf(255, MYSHOPIFY);
    expect(await h.shopify('orders/create', order, longest)).toMatchObject({ status: 200, body: { outcome: 'accepted' } });
    expect(h.rows('SELECT id FROM shops')).toEqual([{ id: `shopify:${longest}` }]);

    for (const length of [256, 3000]) {
      const r = await h.shopify('orders/create', order, hostOf(length, MYSHOPIFY));
      expect(r).toEqual({
        status: 400,
        body: { error: 'invalid_shop_domain', message: `X-Shopify-Shop-Domain is a ${length}-character host; host names have at most 255 characters` },
      });
    }
    expect(h.count('shops')).toBe(1);
    expect(h.count('receipts')).toBe(1);
    expect(h.count('orders')).toBe(1);
  });
});

describe('a Shopify id is at most 20 digits', () => {
  const ORDER = 'shopify/order-discounts-shipping.json';
  // Where each id sits in the fixture (every spelling of it: the number and the GraphQL id's tail).
  const ids: Array<[string, string, string]> = [
    ['the order id', '820982911946154508', 'id'],
    ['a line item id', '9007199254740993', 'line_items[0].id'],
    ['the customer id', '7208888888888888888', 'customer.id'],
  ];
  for (const [what, held, field] of ids) {
    it(`${what}: 20 digits is an order, 21 and 5,001 are quarantined naming ${field}, with no order stored`, async () => {
      const h = await withApp();
      const withId = (id: string) => fixture(ORDER).replaceAll(held, id);
      expect(await h.shopify('orders/create', withId(digits(20)))).toMatchObject({ status: 200, body: { outcome: 'accepted' } });
      const stored = h.rows('SELECT key AS orderKey FROM orders');
      expect(stored).toHaveLength(1);

      for (const length of [21, 5001]) {
        const r = await h.shopify('orders/create', withId(digits(length)));
        expect(r.status).toBe(200);
        expect(r.body.outcome).toBe('quarantined');
        // The GraphQL id is read first: the field named is where the id was found.
        const named = field.replace(/id$/, 'admin_graphql_api_id');
        expect(r.body.detail).toBe(`orders/create: unreadable Shopify payload: ${named}: a ${length}-digit id; platform ids have at most 20 digits`);
      }
      expect(h.rows('SELECT key AS orderKey FROM orders')).toEqual(stored);
      expect(h.count('quarantine')).toBe(2);
    });
  }

  it('a plain id without a GraphQL id is bounded too: 21 digits in "id" is quarantined naming id', async () => {
    const h = await withApp();
    const body = fixture(ORDER).replace('"gid://shopify/Order/820982911946154508"', 'null').replace('820982911946154508', digits(21));
    const r = await h.shopify('orders/create', body);
    expect(r.body).toMatchObject({ outcome: 'quarantined', detail: 'orders/create: unreadable Shopify payload: id: a 21-digit id; platform ids have at most 20 digits' });
    expect(h.count('orders')).toBe(0);
  });

  it('orders/delete, refunds/create and customers/redact: 20 digits is handled, 21 is quarantined and no order key is made of it', async () => {
    const h = await withApp();
    const order = fixture('shopify/order-taxes-included-refunds.json');
    expect((await h.shopify('orders/create', order)).body).toMatchObject({ outcome: 'accepted' });

    const refund = (id: string) => fixture('shopify/refund-create.json').replace('"id": 9300000000003', `"id": ${id}`)
      .replace('gid://shopify/Refund/9300000000003', `gid://shopify/Refund/${id}`);
    expect((await h.shopify('refunds/create', refund(digits(20)))).body).toMatchObject({ outcome: 'accepted' });
    expect((await h.shopify('refunds/create', refund(digits(21)))).body.detail).toContain('a 21-digit id; platform ids have at most 20 digits');
    const refundFor = (orderId: string) => fixture('shopify/refund-create.json').replace('"order_id": 5813392097328', `"order_id": ${orderId}`);
    expect((await h.shopify('refunds/create', refundFor(digits(21)))).body)
      .toMatchObject({ outcome: 'quarantined', detail: 'refunds/create: unreadable Shopify payload: order_id: a 21-digit id; platform ids have at most 20 digits' });

    const redact = (orderId: string) => `{"shop_id":1,"customer":{"id":1,"email":"nobody@example.com","phone":null},"orders_to_redact":[${orderId}]}`;
    expect((await h.shopify('customers/redact', redact(digits(20)))).body).toMatchObject({ outcome: 'redacted' });
    expect((await h.shopify('customers/redact', redact(digits(21)))).body)
      .toMatchObject({ outcome: 'quarantined', detail: 'customers/redact: unreadable Shopify payload: orders_to_redact[0]: a 21-digit id; platform ids have at most 20 digits' });

    const deletion = (id: string) => `{"id":${id}}`;
    expect((await h.shopify('orders/delete', deletion(digits(20)))).body).toMatchObject({ outcome: 'accepted', orderKey: `shopify:${SHOP}:${digits(20)}` });
    expect((await h.shopify('orders/delete', deletion(digits(21)))).body)
      .toMatchObject({ outcome: 'quarantined', detail: 'orders/delete: unreadable Shopify payload: id: a 21-digit id; platform ids have at most 20 digits' });

    // Every key held is the stored order's or the 20-digit deletion's: no longer id made one.
    const keys = h.rows('SELECT key AS k FROM orders').map((r) => r.k as string);
    expect(keys.sort()).toEqual([`shopify:${SHOP}:5813392097328`, `shopify:${SHOP}:${digits(20)}`]);
    expect(h.count('quarantine')).toBe(4);
  });
});

describe('a Shopify checkout token (part of the checkout\'s key) is at most 255 characters', () => {
  it('255 is a checkout, 256 is quarantined naming token', async () => {
    const h = await withApp();
    const withToken = (token: string) => fixture('shopify/checkout-update.json').replace('b3d8c1f0a5e24d6f9c7a1e2b3c4d5e6f', token);
    expect((await h.shopify('checkouts/update', withToken('c'.repeat(255)))).body)
      .toMatchObject({ outcome: 'accepted', orderKey: `shopify:${SHOP}:checkout:${'c'.repeat(255)}` });
    const r = await h.shopify('checkouts/update', withToken('c'.repeat(256)));
    expect(r.body.outcome).toBe('quarantined');
    expect(r.body.detail).toMatch(/^checkouts\/update: unreadable Shopify payload: token: .*255/);
    expect(h.count('orders')).toBe(1);
  });
});

describe('WooCommerce: a site host is at most 255 characters, an id at most 20 digits', () => {
  const connect = async (h: Awaited<ReturnType<typeof withApp>>, url: string) =>
    h.admin('POST', '/shops', { platform: 'woocommerce', url, registerWebhooks: false, webhookSecret: WOO_SECRET });

  it('the admin API connects a 255-character host and refuses 256 with 400 naming url, storing no shop', async () => {
    const h = await withApp();
    const longest = hostOf(255, '.example');
    expect(await connect(h, `https://${longest}/shop/`)).toMatchObject({ status: 201, body: { shop: { id: `woocommerce:${longest}` } } });
    const r = await connect(h, `https://${hostOf(256, '.example')}/shop/`);
    expect(r).toEqual({ status: 400, body: { error: 'invalid_body', message: 'url: a URL with a 256-character host; host names have at most 255 characters' } });
    const delivery = await connect(h, 'https://ok.example');
    expect(delivery.status).toBe(201);
    expect(h.rows('SELECT id FROM shops ORDER BY id')).toEqual([{ id: `woocommerce:${longest}` }, { id: 'woocommerce:ok.example' }]);

    // A delivery naming the 255-character host is that shop's; one naming 256 or 3,000 characters is 400 before any look-up.
    const order = fixture('woocommerce/order-fees-coupon-partial-refund.json');
    expect((await h.woo('order.created', order, `https://${longest}/shop/`)).body).toMatchObject({ outcome: 'accepted' });
    for (const length of [256, 3000]) {
      expect(await h.woo('order.created', order, `https://${hostOf(length, '.example')}/`)).toEqual({
        status: 400,
        body: { error: 'invalid_header', message: `X-WC-Webhook-Source has a ${length}-character host; host names have at most 255 characters` },
      });
    }
    expect(h.count('receipts')).toBe(1);
    expect(h.count('shops')).toBe(2);
  });

  // Each id that becomes part of a key or of a stored order: [what, the fixture's value, the field named].
  const ids: Array<[string, string, string]> = [
    ['the order id', '"id": 8812', 'id'],
    ['a line item id', '"id": 901', 'line_items.0.id'],
    ['the customer id', '"customer_id": 431', 'customer_id'],
    ['a refund id', '"id": 8840', 'refunds.0.id'],
  ];
  for (const [what, held, field] of ids) {
    it(`${what}: 20 digits is an order, 21 and 5,001 are quarantined naming ${field}, with no order stored`, async () => {
      const h = await withApp();
      await connect(h, 'https://woo.example');
      const original = fixture('woocommerce/order-fees-coupon-partial-refund.json');
      expect(original).toContain(held);
      const withId = (id: string) => original.replace(held, held.replace(/\d+$/, id));
      const accepted = await h.woo('order.created', withId(digits(20)), 'https://woo.example/');
      expect(accepted.body).toMatchObject({ outcome: 'accepted' });
      const stored = h.rows('SELECT key AS orderKey FROM orders');
      expect(stored).toHaveLength(1);
      for (const length of [21, 5001]) {
        const r = await h.woo('order.created', withId(digits(length)), 'https://woo.example/');
        expect(r).toEqual({
          status: 200,
          body: { outcome: 'quarantined', detail: `order.created: unreadable WooCommerce payload: ${field}: a ${length}-digit id; platform ids have at most 20 digits` },
        });
      }
      expect(h.rows('SELECT key AS orderKey FROM orders')).toEqual(stored);
      expect(h.count('quarantine')).toBe(2);
    });
  }

  it('order.deleted and customer.created: 21 digits is quarantined, 20 is handled', async () => {
    const h = await withApp();
    await connect(h, 'https://woo.example');
    expect((await h.woo('order.deleted', `{"id":${digits(20)}}`, 'https://woo.example/')).body)
      .toMatchObject({ outcome: 'accepted', orderKey: `woocommerce:woo.example:${digits(20)}` });
    expect((await h.woo('order.deleted', `{"id":${digits(21)}}`, 'https://woo.example/')).body)
      .toMatchObject({ outcome: 'quarantined', detail: 'order.deleted: unreadable WooCommerce payload: id: a 21-digit id; platform ids have at most 20 digits' });
    const customer = (id: string) => `{"id":${id},"email":"c@example.com","first_name":"C","last_name":"D"}`;
    expect((await h.woo('customer.created', customer(digits(20)), 'https://woo.example/')).body).toMatchObject({ outcome: 'accepted' });
    expect((await h.woo('customer.created', customer(digits(21)), 'https://woo.example/')).body)
      .toMatchObject({ outcome: 'quarantined', detail: 'customer.created: unreadable WooCommerce payload: id: a 21-digit id; platform ids have at most 20 digits' });
    expect(h.count('quarantine')).toBe(2);
  });
});

describe('a delivery id (part of the receipt\'s key) is bounded', () => {
  it('Shopify: X-Shopify-Webhook-Id and X-Shopify-Event-Id of 255 characters are taken, 256 are 400 naming the header', async () => {
    const h = await withApp();
    const order = fixture('shopify/order-discounts-shipping.json');
    expect((await h.shopify('orders/create', order, SHOP, { 'x-shopify-webhook-id': 'w'.repeat(255), 'x-shopify-event-id': 'e'.repeat(255) })).body)
      .toMatchObject({ outcome: 'accepted' });
    expect(await h.shopify('orders/create', order, SHOP, { 'x-shopify-webhook-id': 'w'.repeat(256) })).toEqual({
      status: 400, body: { error: 'invalid_delivery_id', message: 'X-Shopify-Webhook-Id is 256 characters; delivery ids have at most 255' },
    });
    expect(await h.shopify('orders/create', order, SHOP, { 'x-shopify-event-id': 'e'.repeat(256) })).toEqual({
      status: 400, body: { error: 'invalid_delivery_id', message: 'X-Shopify-Event-Id is 256 characters; delivery ids have at most 255' },
    });
    expect(h.count('receipts')).toBe(1);
  });

  it('WooCommerce: X-WC-Webhook-ID of 20 digits and X-WC-Webhook-Delivery-ID of 255 characters are taken; 21 and 256 are 400', async () => {
    const h = await withApp();
    await h.admin('POST', '/shops', { platform: 'woocommerce', url: 'https://woo.example', registerWebhooks: false, webhookSecret: WOO_SECRET });
    const order = fixture('woocommerce/order-fees-coupon-partial-refund.json');
    const send = (headers: Record<string, string>) => h.woo('order.created', order, 'https://woo.example/', headers);
    expect((await send({ 'x-wc-webhook-id': digits(20), 'x-wc-webhook-delivery-id': 'd'.repeat(255) })).body).toMatchObject({ outcome: 'accepted' });
    expect(await send({ 'x-wc-webhook-id': digits(21) })).toEqual({
      status: 400, body: { error: 'invalid_header', message: 'X-WC-Webhook-ID is a 21-digit id; platform ids have at most 20 digits' },
    });
    expect(await send({ 'x-wc-webhook-delivery-id': 'd'.repeat(256) })).toEqual({
      status: 400, body: { error: 'invalid_header', message: 'X-WC-Webhook-Delivery-ID is 256 characters; delivery ids have at most 255' },
    });
    expect(h.count('receipts')).toBe(1);
  });
});

describe('the admin API bounds a destination the same way', () => {
  it('a store URL host of 255 characters is taken, 256 is 400 naming the setting; a destination id is at most 64 characters', async () => {
    const h = await withApp();
    await h.shopify('orders/create', fixture('shopify/order-discounts-shipping.json'));
    const destinations = `/shops/shopify:${SHOP}/destinations`;
    const engage = (baseUrl: string, id?: string) => h.admin('POST', destinations, { kind: 'engage', ...(id ? { id } : {}), settings: { baseUrl }, secret: 'k' });

    expect((await engage(`https://${hostOf(255, '.example')}/`)).status).toBe(201);
    expect(await engage(`https://${hostOf(256, '.example')}/`, 'other')).toEqual({
      status: 400, body: { error: 'invalid_settings', message: 'settings.baseUrl: a URL with a 256-character host; host names have at most 255 characters' },
    });
    expect((await engage('https://engage.example/', 'e'.repeat(64))).status).toBe(201);
    const tooLong = await engage('https://engage.example/', 'e'.repeat(65));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ error: 'invalid_body' });
    expect(tooLong.body.message).toMatch(/^id: .*64/);
    expect(h.rows('SELECT id FROM destinations ORDER BY id').map((r) => r.id))
      .toEqual([`shopify:${SHOP}:${'e'.repeat(64)}`, `shopify:${SHOP}:engage`, `shopify:${SHOP}:local`]);
  });
});
