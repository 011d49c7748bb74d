import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WooClient } from '../connectors/platforms/woocommerce/client.ts';
import { startWooSimulator, type RunningWooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import { query, tableCounts } from './support/database.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually } from './support/shopifySender.ts';

const TOKEN = 'woo-e2e-token';

describe('WooCommerce shop end to end: the simulator registers webhooks against the running connector', () => {
  let ob: OrderbridgeProcess;
  let woo: RunningWooSimulator;
  let shopHost: string;
  let clock = Date.parse('2026-03-01T10:00:00Z');
  const tick = () => (clock += 60_000); // WooCommerce dates have whole seconds: step a minute per action

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${ob.url}/api${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers } });
  const localOrder = (id: number, until: (o: Record<string, any>) => boolean) =>
    eventually(async () => {
      const r = await api(`/orders/${encodeURIComponent(`woocommerce:${shopHost}:${id}`)}`);
      if (r.status !== 200) return undefined;
      const o = (await r.json()) as Record<string, any>;
      return until(o) ? o : undefined;
    }, 10_000, `woo order ${id}`);

  beforeAll(async () => {
    ob = await startOrderbridge({ ADMIN_TOKEN: TOKEN, DELIVERY_POLL_MS: '20' });
    woo = await startWooSimulator({ consumerKey: 'ck_e2e', consumerSecret: 'cs_e2e', storeCurrency: 'USD', now: () => clock });
    shopHost = new URL(woo.url).host;
  });
  afterAll(async () => {
    await ob?.stop();
    await woo?.close();
  });

  it('connects the shop: webhooks registered with a generated secret, the ping answered 200 and nothing stored', async () => {
    const before = tableCounts(ob.databasePath);
    const r = await api('/shops', {
      method: 'POST',
      body: JSON.stringify({ platform: 'woocommerce', url: woo.url, consumerKey: 'ck_e2e', consumerSecret: 'cs_e2e', storeCurrency: 'USD', deliveryUrl: `${ob.url}/webhooks/woocommerce` }),
    });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { shop: { id: string; hasWebhookSecret: boolean }; webhooks: Array<{ topic: string }> };
    expect(body.shop).toMatchObject({ id: `woocommerce:${shopHost}`, hasWebhookSecret: true });
    expect(woo.webhooks.map((w) => w.topic).sort()).toEqual(['customer.created', 'order.created', 'order.deleted', 'order.restored', 'order.updated']);
    const pings = woo.deliveries.filter((d) => d.kind === 'ping');
    expect(pings).toHaveLength(5);
    expect(pings.every((p) => p.status === 200)).toBe(true);
    const after = tableCounts(ob.databasePath);
    for (const table of ['receipts', 'orders', 'outbox', 'quarantine', 'local_orders']) expect(after[table], table).toBe(before[table]);
    // The keys and the webhook secret are sealed, never stored in clear.
    const [shop] = query<{ credentials_sealed: string; webhook_secret_sealed: string }>(ob.databasePath, 'SELECT credentials_sealed, webhook_secret_sealed FROM shops WHERE id = ?', `woocommerce:${shopHost}`);
    expect(shop!.credentials_sealed).toMatch(/^v1:/);
    expect(shop!.credentials_sealed).not.toContain('cs_e2e');
    expect(shop!.webhook_secret_sealed).toMatch(/^v1:/);
  });

  it('follows an order through created, processing → completed, refunded and deleted', async () => {
    tick();
    const created = await woo.createOrder({
      status: 'processing', set_paid: true, currency: 'USD',
      billing: { first_name: 'Zoë', last_name: 'Łukasiewicz', email: 'zoe@example.com', country: 'PL', city: 'Kraków' },
      line_items: [{ name: 'Kubek', quantity: 2, price: '12.50', sku: 'MUG-1' }, { name: 'Talerz', quantity: 1, price: 7.1, sku: 'PLATE' }],
      shipping_lines: [{ method_title: 'Flat rate', total: '5.00' }],
    });
    const id = created.id as number;
    expect(woo.deliveries.at(-1)).toMatchObject({ topic: 'order.created', status: 200 });
    const placed = await localOrder(id, () => true);
    expect(placed.status).toBe('paid');
    expect(placed.currency).toBe('USD');
    expect(placed.totals).toMatchObject({ subtotal: 3210, shipping: 500, total: 3710, refunded: 0 });
    expect(placed.lineItems.map((l: any) => [l.sku, l.quantity, l.unitPrice])).toEqual([['MUG-1', 2, 1250], ['PLATE', 1, 710]]);
    expect(placed.customer).toMatchObject({ email: 'zoe@example.com', firstName: 'Zoë', lastName: 'Łukasiewicz' });
    expect(placed.billingAddress).toMatchObject({ country: 'PL', city: 'Kraków' });

    tick();
    await woo.updateOrder(id, { status: 'completed' });
    const completed = await localOrder(id, (o) => o.status === 'completed');
    expect(completed.platformStatus).toBe('completed');

    tick();
    await woo.refundOrder(id, '10.00', 'damaged');
    const refunded = await localOrder(id, (o) => o.totals.refunded === 1000);
    expect(refunded.refunds).toHaveLength(1);
    expect(refunded.refunds[0]).toMatchObject({ amount: 1000, reason: 'damaged' });

    tick();
    await woo.deleteOrder(id);
    const deleted = await localOrder(id, (o) => o.status === 'deleted');
    expect(deleted.totals.total).toBe(3710); // what was known survives the tombstone
    // The order reads from where it is stored, a moment before its last version is delivered: wait for the events.
    const eventsOf = async () => ((await (await api(`/orders/${encodeURIComponent(`woocommerce:${shopHost}:${id}`)}/events`)).json()) as { events: Array<{ type: string }> }).events.map((e) => e.type);
    const events = await eventually(async () => ((await eventsOf()).includes('order.deleted') ? eventsOf() : undefined), 10_000, 'order.deleted delivered');
    expect(events).toEqual(expect.arrayContaining(['order.created', 'order.refunded', 'order.deleted']));
  });

  it('rejects a wrong signature with 401 and stores nothing; a repeated delivery id is delivered once', async () => {
    tick();
    const created = await woo.createOrder({ status: 'processing', billing: { email: 'dup@example.com' }, line_items: [{ name: 'Tea', quantity: 1, price: '4.00' }] });
    const id = created.id as number;
    const first = await localOrder(id, () => true);
    const delivery = woo.deliveries.at(-1)!;
    await new Promise((r) => setTimeout(r, 200));

    const before = tableCounts(ob.databasePath);
    const forged = await fetch(delivery.url, { method: 'POST', body: delivery.body, headers: { ...delivery.headers, 'x-wc-webhook-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } });
    expect(forged.status).toBe(401);
    const unknownShop = await fetch(delivery.url, { method: 'POST', body: delivery.body, headers: { ...delivery.headers, 'x-wc-webhook-source': 'https://not-connected.example/' } });
    expect(unknownShop.status).toBe(401);
    expect(tableCounts(ob.databasePath)).toEqual(before);

    const receiptsBefore = tableCounts(ob.databasePath).receipts;
    const again = await woo.resend(delivery.seq);
    expect(again.status).toBe(200);
    expect(again.headers['x-wc-webhook-delivery-id']).toBe(delivery.headers['x-wc-webhook-delivery-id']);
    expect(tableCounts(ob.databasePath).receipts).toBe(receiptsBefore);
    await new Promise((r) => setTimeout(r, 200));
    const after = await localOrder(id, () => true);
    expect(after._delivery.deliveries).toBe(first._delivery.deliveries);
  });

  it('does not let an older order.updated (by date_modified_gmt) overwrite the stored version', async () => {
    tick();
    const created = await woo.createOrder({ status: 'pending', billing: { email: 'late@example.com' }, line_items: [{ name: 'Jam', quantity: 1, price: '3.00' }] });
    const id = created.id as number;
    tick();
    await woo.updateOrder(id, { status: 'processing' });
    tick();
    await woo.updateOrder(id, { status: 'completed' });
    await localOrder(id, (o) => o.status === 'completed');
    const [stale] = await woo.sendStale(id, { versionsBack: 1 });
    expect(stale!.status).toBe(200);
    expect(JSON.parse(stale!.body).status).toBe('processing');
    const outcomes = query<{ outcome: string }>(ob.databasePath, "SELECT outcome FROM receipts WHERE order_key = ? ORDER BY received_at", `woocommerce:${shopHost}:${id}`);
    expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'stale']);
    await new Promise((r) => setTimeout(r, 200));
    const order = await localOrder(id, () => true);
    expect(order.status).toBe('completed');
  });

  it('takes a shop whose webhooks the owner made in WordPress: no keys, its own secret, its deliveries verified with it', async () => {
    const manual = await startWooSimulator({ consumerKey: 'ck_manual', consumerSecret: 'cs_manual', storeCurrency: 'EUR', now: () => clock });
    try {
      const host = new URL(manual.url).host;
      const missing = await api('/shops', { method: 'POST', body: JSON.stringify({ platform: 'woocommerce', url: manual.url, registerWebhooks: false }) });
      expect(missing.status).toBe(400);
      const said = ((await missing.json()) as { message: string }).message;
      expect(said).toContain('webhookSecret');
      expect(said).not.toContain('Shopify'); // the remark for Shopify shops is not for this one
      const r = await api('/shops', {
        method: 'POST', body: JSON.stringify({ platform: 'woocommerce', url: manual.url, registerWebhooks: false, webhookSecret: 'chosen-in-wordpress', storeCurrency: 'EUR' }),
      });
      expect(r.status).toBe(201);
      expect(await r.json()).toMatchObject({ shop: { id: `woocommerce:${host}`, hasCredentials: false, hasWebhookSecret: true }, webhooks: [] });
      expect(manual.webhooks).toHaveLength(0); // orderbridge called nothing on the shop

      // The owner's own webhook, as made in WordPress with the secret they chose.
      await new WooClient({ url: manual.url, consumerKey: 'ck_manual', consumerSecret: 'cs_manual' })
        .createWebhook({ topic: 'order.created', deliveryUrl: `${ob.url}/webhooks/woocommerce`, secret: 'chosen-in-wordpress' });
      tick();
      const created = await manual.createOrder({ status: 'processing', set_paid: true, currency: 'EUR', billing: { email: 'hand@example.com' }, line_items: [{ name: 'Tea', quantity: 1, price: '4.00' }] });
      expect(manual.deliveries.filter((d) => d.kind !== 'ping').at(-1)).toMatchObject({ topic: 'order.created', status: 200 });
      const r2 = await eventually(async () => {
        const res = await api(`/orders/${encodeURIComponent(`woocommerce:${host}:${created.id as number}`)}`);
        return res.status === 200 ? ((await res.json()) as { customer: { email: string } }) : undefined;
      }, 10_000, 'the hand-made webhook\'s order');
      expect(r2.customer.email).toBe('hand@example.com');
    } finally {
      await manual.close();
    }
  });

  it('connected again at another address (orderbridge moved): the webhooks to the old one go, others stay', async () => {
    const moving = await startWooSimulator({ consumerKey: 'ck_move', consumerSecret: 'cs_move', storeCurrency: 'USD', now: () => clock });
    try {
      const OLD = 'https://old-host.example/webhooks/woocommerce';
      const connect = (deliveryUrl: string) => api('/shops', {
        method: 'POST',
        body: JSON.stringify({ platform: 'woocommerce', url: moving.url, consumerKey: 'ck_move', consumerSecret: 'cs_move', deliveryUrl }),
      });
      expect((await connect(OLD)).status).toBe(201);
      await new WooClient({ url: moving.url, consumerKey: 'ck_move', consumerSecret: 'cs_move' })
        .createWebhook({ topic: 'order.created', deliveryUrl: 'https://elsewhere.example/hook', secret: 'theirs-123' });
      expect(moving.webhooks.filter((w) => w.deliveryUrl === OLD)).toHaveLength(5);
      expect((await connect(`${ob.url}/webhooks/woocommerce`)).status).toBe(201);
      const to = (url: string) => moving.webhooks.filter((w) => w.deliveryUrl === url).map((w) => w.topic).sort();
      expect(to(`${ob.url}/webhooks/woocommerce`)).toEqual(['customer.created', 'order.created', 'order.deleted', 'order.restored', 'order.updated']);
      expect(to(OLD)).toEqual([]);
      expect(to('https://elsewhere.example/hook')).toEqual(['order.created']);
      const host = new URL(moving.url).host;
      expect((await api(`/shops/${encodeURIComponent(`woocommerce:${host}`)}`, { method: 'DELETE' })).status).toBe(200);
    } finally {
      await moving.close();
    }
  });

  it('removes a connected shop: its webhooks on the shop, then everything held for it', async () => {
    const gone = await startWooSimulator({ consumerKey: 'ck_gone', consumerSecret: 'cs_gone', storeCurrency: 'USD', now: () => clock });
    try {
      const host = new URL(gone.url).host;
      const connected = await api('/shops', {
        method: 'POST',
        body: JSON.stringify({ platform: 'woocommerce', url: gone.url, consumerKey: 'ck_gone', consumerSecret: 'cs_gone', deliveryUrl: `${ob.url}/webhooks/woocommerce` }),
      });
      expect(connected.status).toBe(201);
      // Someone else's webhook on the same shop stays.
      await new WooClient({ url: gone.url, consumerKey: 'ck_gone', consumerSecret: 'cs_gone' })
        .createWebhook({ topic: 'order.created', deliveryUrl: 'https://elsewhere.example/hook', secret: 'theirs-123' });
      tick();
      const created = await gone.createOrder({ status: 'processing', billing: { email: 'gone@example.com' }, line_items: [{ name: 'Tea', quantity: 1, price: '4.00' }] });
      const key = encodeURIComponent(`woocommerce:${host}:${created.id as number}`);
      await eventually(async () => ((await api(`/orders/${key}`)).status === 200 ? true : undefined), 10_000, 'the order before removal');

      const removed = await api(`/shops/${encodeURIComponent(`woocommerce:${host}`)}`, { method: 'DELETE' });
      expect(removed.status).toBe(200);
      expect(await removed.json()).toEqual({ removed: `woocommerce:${host}`, webhooks: { removed: 5 } });
      expect(gone.webhooks.map((w) => w.deliveryUrl)).toEqual(['https://elsewhere.example/hook']);
      expect((await api(`/orders/${key}`)).status).toBe(404);
      const shopsLeft = (await (await api('/shops')).json()) as { items: Array<{ id: string }> };
      expect(shopsLeft.items.map((i) => i.id)).not.toContain(`woocommerce:${host}`);
      expect(query<{ n: number }>(ob.databasePath, 'SELECT count(*) AS n FROM destinations WHERE shop_id = ?', `woocommerce:${host}`)[0]!.n).toBe(0);
      expect((await api(`/shops/${encodeURIComponent(`woocommerce:${host}`)}`, { method: 'DELETE' })).status).toBe(404);
    } finally {
      await gone.close();
    }
  });
});
