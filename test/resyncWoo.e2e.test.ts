// A WooCommerce shop's 3-month range resynced from the REST simulator into the local store by an orderbridge
// process: complete and exact (each order as the webhook mapping makes it), through 429s and 503s, sent once; a
// second resync sends nothing but what changed (orders moved to the trash go as deletions); a shop without REST
// keys is told so (409).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWooSimulator, type RunningWooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import { mapWooOrder } from '../mappings/platforms/woocommerce/index.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { api, delivered, heldOrders, localStore, resync, RESYNC_TOKEN } from './support/resyncHarness.ts';
import { eventually } from './support/shopifySender.ts';

const DAY = 86_400_000;
const NOW = Date.now();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const RANGE = { from: day(NOW - 100 * DAY), to: day(NOW - 10 * DAY) };
const ORDERS = 2_400;

describe('WooCommerce', () => {
  let woo: RunningWooSimulator;
  let ob: OrderbridgeProcess;
  let shopId: string;
  let host: string;
  const created = new Map<number, number>();

  beforeAll(async () => {
    woo = await startWooSimulator({ consumerKey: 'ck_resync', consumerSecret: 'cs_resync', storeCurrency: 'EUR' });
    host = new URL(woo.url).host;
    // Orders spread over four months, no webhook registered: only a resync brings them.
    for (let i = 0; i < ORDERS; i++) {
      const at = new Date(NOW - 125 * DAY + Math.floor((i * 120 * DAY) / ORDERS)).toISOString().slice(0, 19);
      const o = await woo.createOrder({
        date_created_gmt: at, set_paid: i % 3 !== 0, tax_rate_percent: 25, billing: { first_name: `Kund ${i}`, email: `kund${i}@example.com` },
        line_items: [{ name: 'Kaffe', product_id: 7, quantity: 1 + (i % 4), price: '49.00', sku: 'KAF' }],
        shipping_lines: [{ method_title: 'PostNord', total: '39.00' }],
      });
      created.set(o.id as number, Date.parse(`${at}Z`));
    }
    ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, DELIVERY_POLL_MS: '20' });
    const r = await api(ob, 'POST', '/shops', {
      platform: 'woocommerce', url: woo.url, consumerKey: 'ck_resync', consumerSecret: 'cs_resync', storeCurrency: 'EUR',
      registerWebhooks: false, webhookSecret: 'resync-webhook-secret',
    });
    expect(r.status).toBe(201);
    shopId = r.json.shop.id as string;
  }, 120_000);
  afterAll(async () => {
    await ob?.stop();
    await woo?.close();
  });

  const inRange = () => [...created].filter(([, at]) => at >= Date.parse(RANGE.from) && at < Date.parse(RANGE.to)).map(([id]) => id);
  const expected = (id: number) => mapWooOrder(woo.getOrder(id), host, { storeCurrency: 'EUR' });

  it('reads the 3-month range into the local store, complete and exact, through 429s and 503s', { timeout: 120_000 }, async () => {
    const ids = inRange();
    expect(ids.length).toBeGreaterThan(1_500);
    woo.faults.set({ opening: ['throttle', 'serverError', 'throttle', 'serverError'], retryAfterSeconds: 1 });
    const job = await resync(ob, shopId, RANGE, 100_000);
    expect(job).toMatchObject({ state: 'done', lastError: null, orders: { total: ids.length, seen: ids.length, queued: ids.length, failed: 0 } });
    expect(woo.faults.injected).toMatchObject({ throttle: 2, serverError: 2 });
    const rows = await delivered(ob, shopId, ids.length);
    expect(rows.map((r) => r.key).sort()).toEqual(ids.map((id) => `${shopId}:${id}`).sort());
    expect(rows.every((r) => r.deliveries === 1)).toBe(true);
    const held = heldOrders(ob.databasePath, shopId);
    for (const id of ids) expect(held.get(`${shopId}:${id}`), `order ${id}`).toEqual(expected(id));
  });

  it('a second resync sends only what changed: orders moved to the trash go as deletions', { timeout: 120_000 }, async () => {
    const ids = inRange();
    const trashed = ids.slice(10, 13);
    for (const id of trashed) await woo.deleteOrder(id);
    const job = await resync(ob, shopId, RANGE, 100_000);
    expect(job.orders).toMatchObject({ seen: ids.length, queued: trashed.length, unchanged: ids.length - trashed.length, failed: 0 });
    await eventually(async () => (localStore(ob.databasePath, shopId).waiting === 0 ? true : undefined), 20_000, 'the deletions delivered');
    const held = heldOrders(ob.databasePath, shopId);
    for (const id of trashed) expect(held.get(`${shopId}:${id}`)?.status).toBe('deleted');
  });

  it('a shop connected without REST keys cannot be resynced: 409 saying so', async () => {
    const r = await api(ob, 'POST', '/shops', { platform: 'woocommerce', url: 'https://keyless.example.com', registerWebhooks: false, webhookSecret: 'keyless-secret' });
    expect(r.status).toBe(201);
    const refused = await api(ob, 'POST', `/shops/${encodeURIComponent(r.json.shop.id)}/resync`, RANGE);
    expect(refused).toMatchObject({ status: 409, json: { error: 'no_credentials', message: expect.stringContaining('consumerKey') } });
  });
});
