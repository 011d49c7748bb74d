// POST /webhooks/shopify through the real app (createApp, real verifier, SQLite storage): which header
// problems answer what, and which topics may register a shop.
import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyVerifier } from '../connectors/platforms/shopify/webhookVerifier.ts';
import { createApp } from '../src/app/app.ts';
import { WebhookSecrets } from '../src/core/shops/webhookSecrets.ts';
import { openDatabase, type OpenDatabase } from '../src/node/database.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { STORES } from '../connectors/registry.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const SECRET = 'route-secret';
const TOKEN = 'route-token';
const GHOST = 'ghost.myshopify.com';
const KNOWN = 'known-shop.myshopify.com';
const scratchDb = scratchDatabases();
const open: OpenDatabase[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});

async function withApp(secret: string | null = SECRET) {
  const database = openDatabase(scratchDb('ob-shopify-route-'));
  open.push(database);
  const clock = { now: () => Date.UTC(2026, 0, 10) };
  const storage = createStorage(database, clock);
  const secrets = await SecretBox.fromPassphrase('route-test');
  const app = createApp({
    storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
    config: { adminToken: TOKEN, maxBodyBytes: 2 * 1024 * 1024, publicUrl: null },
    webhookSecrets: new WebhookSecrets(storage.shops, secrets),
    verifyShopify: createShopifyVerifier({ secret: secret ?? '' }), // '' = not configured
  });
  /** Signed like Shopify; `headers` overrides (null drops one). */
  const send = async (topic: string, body: string, headers: Record<string, string | null> = {}) => {
    const all: Record<string, string | null> = {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body, 'utf8').digest('base64'),
      'x-shopify-shop-domain': KNOWN,
      'x-shopify-api-version': '2026-01',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': '2026-01-10T00:00:00Z',
      ...headers,
    };
    const sent = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
    const r = await app.request('/webhooks/shopify', { method: 'POST', body, headers: sent });
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  };
  const count = (table: string) => (database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const shopRows = () => database.sqlite.prepare('SELECT id, uninstalled_at AS uninstalledAt FROM shops ORDER BY id').all() as Array<{ id: string; uninstalledAt: number | null }>;
  const quarantine = async () => {
    const r = await app.request('/api/quarantine', { headers: { authorization: `Bearer ${TOKEN}` } });
    return ((await r.json()) as { items: Array<{ topic: string; error: string }> }).items;
  };
  return { send, count, shopRows, quarantine };
}

const order = (id: number) => JSON.stringify({
  id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}`, email: 'ann@example.com', currency: 'EUR',
  created_at: '2026-01-09T10:00:00Z', updated_at: '2026-01-09T10:00:00Z', financial_status: 'paid',
  total_price: '10.00', subtotal_price: '10.00', total_tax: '0.00', total_discounts: '0.00', line_items: [],
});

const COMPLIANCE: Array<[string, string]> = [
  ['customers/redact', `{"shop_id":1,"shop_domain":"${GHOST}","customer":{"id":1,"email":"a@example.com","phone":null},"orders_to_redact":[1]}`],
  ['shop/redact', `{"shop_id":1,"shop_domain":"${GHOST}"}`],
  ['customers/data_request', `{"shop_id":1,"shop_domain":"${GHOST}","orders_requested":[1],"customer":{"id":1,"email":"a@example.com","phone":null},"data_request":{"id":9}}`],
  ['app/uninstalled', `{"id":1,"domain":"${GHOST}"}`],
  // Unreadable, for a shop we never held anything of: nothing to quarantine either.
  ['customers/redact', '{"customer":"nope"}'],
];

describe('privacy and uninstall topics for a shop never installed', () => {
  for (const [topic, body] of COMPLIANCE) {
    it(`${topic} ${body.length < 25 ? '(unreadable) ' : ''}is acknowledged with 200 and creates nothing`, async () => {
      const h = await withApp();
      const r = await h.send(topic, body, { 'x-shopify-shop-domain': GHOST });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ outcome: 'ignored', ignored: true });
      expect(r.body.detail).toContain(GHOST);
      expect(r.body.detail).toContain('nothing was held');
      expect(h.shopRows()).toEqual([]);
      for (const table of ['shops', 'destinations', 'receipts', 'quarantine', 'orders']) expect(h.count(table), table).toBe(0);
    });
  }

  it('a topic orderbridge does not handle registers no shop; for a known shop it is recorded as ignored', async () => {
    const h = await withApp();
    const r = await h.send('products/update', '{"id":1,"title":"Mug"}', { 'x-shopify-shop-domain': GHOST });
    expect(r).toMatchObject({ status: 200, body: { outcome: 'ignored', ignored: true } });
    expect(r.body.detail).toContain(`shop ${GHOST} is not known here`);
    for (const table of ['shops', 'destinations', 'receipts']) expect(h.count(table), table).toBe(0);
    await h.send('orders/create', order(1001));
    expect((await h.send('products/update', '{"id":1,"title":"Mug"}')).body).toMatchObject({ outcome: 'ignored' });
    expect([h.count('shops'), h.count('receipts')]).toEqual([1, 2]);
  });

  it('order topics still register a shop on first sight; after that its privacy topics are handled, and an uninstall stops its orders', async () => {
    const h = await withApp();
    const created = await h.send('orders/create', order(1001), { 'x-shopify-shop-domain': 'Known-Shop.myshopify.com' });
    expect(created).toMatchObject({ status: 200, body: { outcome: 'accepted', orderKey: `shopify:${KNOWN}:1001` } });
    expect(h.shopRows()).toEqual([{ id: `shopify:${KNOWN}`, uninstalledAt: null }]);
    expect(h.count('destinations')).toBe(1); // the embedded local store

    const redact = await h.send('customers/redact', `{"shop_id":1,"customer":{"id":null,"email":"ann@example.com","phone":null},"orders_to_redact":[1001]}`);
    expect(redact.body).toMatchObject({ outcome: 'redacted' });
    expect((await h.send('app/uninstalled', `{"id":1,"domain":"${KNOWN}"}`)).status).toBe(200);
    // A known but uninstalled shop: shop/redact is handled and does not bring it back.
    expect((await h.send('shop/redact', '{"shop_id":1}')).body).toMatchObject({ outcome: 'redacted' });
    expect(h.shopRows()).toEqual([{ id: `shopify:${KNOWN}`, uninstalledAt: expect.any(Number) }]);
    // An order topic does not bring it back (installing does): acknowledged, nothing taken in.
    const receipts = h.count('receipts');
    const late = await h.send('orders/updated', order(1002));
    expect(late).toMatchObject({ status: 200, body: { outcome: 'ignored', ignored: true } });
    expect(late.body.detail).toContain('uninstalled the app');
    expect(h.shopRows()).toEqual([{ id: `shopify:${KNOWN}`, uninstalledAt: expect.any(Number) }]);
    expect([h.count('receipts'), h.count('orders')]).toEqual([receipts, 0]);
  });
});

describe('X-Shopify-Shop-Domain', () => {
  const bad = ['${dom:-my-shop.myshopify.com}', 'evil.example.com', 'shop.myshopify.com.evil.example', '-shop.myshopify.com', 'shop.myshopify.com/x', 'a b.myshopify.com', 'shop.myshopify.com:443'];
  for (const domain of bad) {
    it(`${JSON.stringify(domain)} is refused with 400 naming the header, and no shop is made of it`, async () => {
      const h = await withApp();
      for (const [topic, body] of [['orders/create', order(7)], ['customers/redact', COMPLIANCE[0]![1]]] as const) {
        const r = await h.send(topic, body, { 'x-shopify-shop-domain': domain });
        expect(r.status, topic).toBe(400);
        expect(r.body).toMatchObject({ error: 'invalid_shop_domain' });
        expect(r.body.message).toContain('X-Shopify-Shop-Domain');
      }
      expect(h.count('shops')).toBe(0);
      expect(h.count('receipts')).toBe(0);
    });
  }

  it('a bad signature is still 401 before the domain is looked at', async () => {
    const h = await withApp();
    const r = await h.send('orders/create', order(7), { 'x-shopify-shop-domain': '${dom:-my-shop.myshopify.com}', 'x-shopify-hmac-sha256': 'AAAA' });
    expect(r).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
  });
});

describe('required headers', () => {
  it('names each missing header with 400 when the signature is good', async () => {
    const h = await withApp();
    const r = await h.send('orders/create', order(8), { 'x-shopify-api-version': null, 'x-shopify-webhook-id': null, 'x-shopify-event-id': null, 'x-shopify-triggered-at': null });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'missing_headers',
      message: 'webhook rejected: missing X-Shopify-API-Version, X-Shopify-Webhook-Id',
      missing: ['X-Shopify-API-Version', 'X-Shopify-Webhook-Id'],
    });
    const noTopic = await h.send('orders/create', order(8), { 'x-shopify-topic': null });
    expect(noTopic).toMatchObject({ status: 400, body: { error: 'missing_headers', message: 'webhook rejected: missing X-Shopify-Topic' } });
    expect(h.count('shops')).toBe(0);
  });

  it('answers 503 not_configured while SHOPIFY_API_SECRET is unset (Shopify retries; nothing is lost meanwhile)', async () => {
    const h = await withApp(null);
    expect(await h.send('orders/create', order(8))).toEqual({
      status: 503, body: { error: 'not_configured', message: 'Shopify webhooks cannot be verified: SHOPIFY_API_SECRET is not set' },
    });
    expect(h.count('shops')).toBe(0);
  });

  it('answers an empty body with 400 empty_body, signed or not, and stores nothing', async () => {
    const h = await withApp();
    expect(await h.send('orders/create', '')).toMatchObject({ status: 400, body: { error: 'empty_body' } });
    expect(await h.send('orders/create', '', { 'x-shopify-hmac-sha256': null })).toMatchObject({ status: 400, body: { error: 'empty_body' } });
    expect(h.count('receipts')).toBe(0);
  });

  it('stays 401 invalid_signature for a wrong or absent HMAC, headers missing or not', async () => {
    const h = await withApp();
    const wrong = createHmac('sha256', 'someone-else').update(order(8)).digest('base64');
    expect(await h.send('orders/create', order(8), { 'x-shopify-hmac-sha256': wrong, 'x-shopify-webhook-id': null }))
      .toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
    expect(await h.send('orders/create', order(8), { 'x-shopify-hmac-sha256': null, 'x-shopify-webhook-id': null }))
      .toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
    expect(await h.send('orders/create', order(8), { 'x-shopify-hmac-sha256': wrong }))
      .toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
  });
});

describe('an unreadable customers/redact for a known shop', () => {
  it('is quarantined with a one-line error naming each bad field', async () => {
    const h = await withApp();
    await h.send('orders/create', order(1));
    const r = await h.send('customers/redact', '{"shop_id":1,"customer":"nope","orders_to_redact":[1,true]}');
    expect(r.body).toMatchObject({ outcome: 'quarantined' });
    const [item] = (await h.quarantine()).filter((i) => i.topic === 'customers/redact');
    expect(item!.error).not.toMatch(/\n/);
    expect(item!.error).toBe(
      'customers/redact: unreadable Shopify payload: customer: expected object, received string; orders_to_redact[1]: expected string or number, received boolean',
    );
  });
});

describe('payloads that fit no order are kept, not refused', () => {
  const refund = (orderId: number, currency: string, createdAt = '2026-01-10T00:00:00Z') =>
    JSON.stringify({ id: 990021, order_id: orderId, created_at: createdAt, refund_line_items: [],
      transactions: [{ kind: 'refund', status: 'success', amount: '1.00', currency }] });

  it('a refund that does not fit the stored order is quarantined with 200 (Shopify would retry a 500 for hours), the order untouched', async () => {
    const h = await withApp();
    await h.send('orders/create', order(31));
    for (const body of [refund(31, 'USD'), refund(31, 'EUR', 'not a date')]) {
      const r = await h.send('refunds/create', body);
      expect(r).toMatchObject({ status: 200, body: { outcome: 'quarantined' } });
      expect(r.body.detail).toMatch(/^cannot apply to the stored order shopify:known-shop\.myshopify\.com:31: /);
    }
    const items = (await h.quarantine()).filter((i) => i.topic === 'refunds/create');
    expect(items.map((i) => i.error).sort()).toEqual([expect.stringContaining('refund.created_at'), expect.stringContaining('USD')]);
    expect(items.every((i) => !i.error.includes('\n'))).toBe(true);
    // The refund that fits still applies: nothing was left half-written by the ones that did not.
    expect(await h.send('refunds/create', refund(31, 'EUR'))).toMatchObject({ status: 200, body: { outcome: 'accepted' } });
  });

  it('a date beyond year 9999 is unreadable (quarantined), not stored to outrank every later version', async () => {
    const h = await withApp();
    const far = JSON.stringify({ ...JSON.parse(order(32)), created_at: '+010000-01-01T00:00:00Z', updated_at: '+010000-01-01T00:00:00Z' });
    const r = await h.send('orders/create', far);
    expect(r).toMatchObject({ status: 200, body: { outcome: 'quarantined' } });
    expect(r.body.detail).toContain('created_at');
    expect(await h.send('orders/create', order(32))).toMatchObject({ status: 200, body: { outcome: 'accepted' } });
  });

  for (const ahead of ['2030-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z']) {
    it(`a deletion's X-Shopify-Triggered-At (unsigned) far ahead of the clock (${ahead}) counts as now: a later version is not stale`, async () => {
      const h = await withApp();
      await h.send('orders/create', order(33));
      expect(await h.send('orders/delete', '{"id":33}', { 'x-shopify-triggered-at': ahead })).toMatchObject({ status: 200, body: { outcome: 'accepted' } });
      const later = JSON.stringify({ ...JSON.parse(order(33)), updated_at: '2026-01-11T00:00:00Z' });
      expect(await h.send('orders/updated', later)).toMatchObject({ status: 200, body: { outcome: 'accepted' } });
    });
  }

  it("a deletion's time a few minutes ahead (Shopify's clock) is kept: an update made just before it stays stale", async () => {
    const h = await withApp(); // the clock reads 2026-01-10T00:00:00Z
    await h.send('orders/create', order(35));
    expect(await h.send('orders/delete', '{"id":35}', { 'x-shopify-triggered-at': '2026-01-10T00:02:00Z' })).toMatchObject({ status: 200 });
    const before = JSON.stringify({ ...JSON.parse(order(35)), updated_at: '2026-01-10T00:01:00Z' });
    expect(await h.send('orders/updated', before)).toMatchObject({ status: 200, body: { outcome: 'stale' } });
  });

  it('JSON nested deeper than the call stack is quarantined with 200, not refused as "not JSON"', async () => {
    const h = await withApp();
    await h.send('orders/create', order(34));
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = await h.send('orders/updated', deep);
    expect(r).toMatchObject({ status: 200, body: { outcome: 'quarantined' } });
    expect(h.count('quarantine')).toBe(1);
  });
});
