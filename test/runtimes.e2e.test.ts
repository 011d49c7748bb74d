// One end-to-end file, two runtimes: the Node server as `npm start` runs it and the Worker on workerd (wrangler dev,
// a Durable Object per shop), each started once, driven over real HTTP by the same steps with the same expectations,
// so the two cannot drift apart. Signed Shopify and WooCommerce webhooks (new, updated, stale, duplicate, deleted)
// reach a store simulator on loopback (Engage) and the local store's API; forged ones are refused; a failing store is
// retried and recovers in order; the admin API's dead letters replay; a runtime killed mid-delivery loses nothing;
// resyncs read a Shopify shop (Admin GraphQL) and a WooCommerce shop (REST) into the local store; reconciliation
// repairs an order whose webhook never came.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOnLoopback, type RunningServer } from '../connectors/simulator-kit/index.ts';
import { createEngageSimulator, type EngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { integerKey, parseWireJson } from '../connectors/stores/engage/simulator/wire.ts';
import type { ReceivedOrder } from '../connectors/stores/engage/simulator/validate.ts';
import { startWooSimulator, type RunningWooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import { startShopifySimulator, type RunningShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { startOrderbridge } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';
import { startWorker } from './support/workerProcess.ts';

const TOKEN = 'runtimes-e2e-admin-token';
const SECRET = 'runtimes-e2e-shopify-secret';
const DOMAIN = 'demo-shop.myshopify.com';
const SHOP = `shopify:${DOMAIN}`;
const SETTINGS = {
  ADMIN_TOKEN: TOKEN, SHOPIFY_API_SECRET: SECRET, ENCRYPTION_KEY: 'runtimes-e2e-encryption-key',
  DELIVERY_BACKOFF_BASE_MS: '50', DELIVERY_BACKOFF_MAX_MS: '300', DELIVERY_MAX_ATTEMPTS: '1000',
  // Receipts older than ~2 s are pruned when retention runs (Node: at start and hourly; the Worker: its cron).
  RECEIPTS_RETENTION_DAYS: '0.00002',
};
const DAY = 86_400_000;
/** A Shopify shop's Admin API, for resyncs (both runtimes send every Admin API call to it: SHOPIFY_ADMIN_URL). */
let shopifyAdmin: RunningShopifySimulator;
const SHOPIFY_ORDERS = 12;
beforeAll(async () => {
  shopifyAdmin = await startShopifySimulator({
    shop: 'resync-runtimes.myshopify.com', orders: SHOPIFY_ORDERS, from: new Date(Date.now() - 20 * DAY).toISOString(), to: new Date(Date.now() - DAY).toISOString(),
  });
});
afterAll(async () => {
  await shopifyAdmin?.close();
});
const withAdmin = (settings: Record<string, string>) => ({ ...settings, SHOPIFY_ADMIN_URL: shopifyAdmin.url });
const FIXTURE = readFileSync(new URL('./fixtures/shopify/order-discounts-shipping.json', import.meta.url), 'utf8');
const T0 = Date.parse('2026-11-01T10:00:00Z');
/** Engage's date_modified_gmt of a version shopifyOrder made. */
const modifiedAt = (version: number) => `${new Date(T0 + version * 60_000).toISOString().slice(0, 19)}+00:00`;

/** A runtime under test, and how to kill it (-9) and start it again on the same state. */
interface Running {
  url: string;
  kill(): Promise<void>;
  restart(): Promise<Running>;
  /** Runs retention and reconciliation as the runtime schedules them: Node at its start (and hourly / each interval), the Worker in its cron trigger. */
  retain(): Promise<Running>;
  stop(): Promise<void>;
}

async function startNodeRuntime(databasePath?: string): Promise<Running> {
  const ob = await startOrderbridge({ ...withAdmin(SETTINGS), DELIVERY_POLL_MS: '20' }, databasePath);
  return {
    url: ob.url, kill: ob.kill, stop: async () => void (await ob.stop()), restart: () => startNodeRuntime(ob.databasePath),
    retain: async () => {
      await ob.stop();
      return startNodeRuntime(ob.databasePath);
    },
  };
}

async function startWorkerRuntime(persistTo = mkdtempSync(join(tmpdir(), 'ob-worker-'))): Promise<Running> {
  const worker = await startWorker(withAdmin(SETTINGS), persistTo);
  const startedWorker: Running = {
    url: worker.url, kill: worker.kill, restart: () => startWorkerRuntime(persistTo),
    retain: async () => {
      // The cron trigger, as Cloudflare fires it: the directory visits each shop's object, which prunes its tables.
      expect((await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('17 * * * *')}`)).status).toBe(200);
      return startedWorker;
    },
    stop: async () => {
      await worker.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
  return startedWorker;
}

/** Engage's simulator behind a front that notes each write it accepted, in arrival order (the Map keeps only the last). */
async function startRecordingEngage(): Promise<{ sim: EngageSimulator; url: string; writes: ReceivedOrder[]; server: RunningServer }> {
  const sim = createEngageSimulator();
  const writes: ReceivedOrder[] = [];
  const front = new Hono();
  front.all('*', async (c) => {
    const body = c.req.method === 'POST' ? await c.req.raw.clone().text() : '';
    const answer = await sim.app.fetch(c.req.raw);
    if (answer.status === 200 && body) {
      const parsed = parseWireJson(body);
      writes.push(...((Array.isArray(parsed) ? parsed : [parsed]) as ReceivedOrder[]));
    }
    return answer;
  });
  const server = await serveOnLoopback(front);
  return { sim, url: server.url, writes, server };
}

/** The fixture as order `id` at `version` (its updated_at a minute per version after T0), created `createdAt`. */
function shopifyOrder(id: number, version: number, createdAt = '2026-10-01T09:00:00Z'): string {
  const order = JSON.parse(FIXTURE) as Record<string, unknown>;
  return JSON.stringify({
    ...order, id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}`, order_number: id, number: id,
    created_at: createdAt, updated_at: new Date(T0 + version * 60_000).toISOString(), note: `version ${version}`,
  });
}

const RUNTIMES = [
  { runtime: 'node (npm start)', start: () => startNodeRuntime() },
  { runtime: 'worker (wrangler dev, a Durable Object per shop)', start: () => startWorkerRuntime() },
];

describe.each(RUNTIMES)('$runtime', ({ start }) => {
  let rt: Running;
  let engage: Awaited<ReturnType<typeof startRecordingEngage>>;
  let woo: RunningWooSimulator | undefined;
  let clock = Date.parse('2026-11-02T10:00:00Z');

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${rt.url}/api${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as any };
  };
  const shopify = async (topic: string, body: string, webhookId?: string) => {
    const res = await sendShopifyWebhook(rt.url, { topic, body, secret: SECRET, shop: DOMAIN, ...(webhookId ? { webhookId } : {}) });
    return { status: res.status, json: (await res.json()) as { outcome?: string; error?: string } };
  };
  const localOrder = (key: string, until: (o: any) => boolean = () => true) => eventually(async () => {
    const { status, json } = await api('GET', `/orders/${encodeURIComponent(key)}`);
    return status === 200 && until(json) ? json : undefined;
  }, 20_000, `${key} in the local store`);
  const atEngage = (id: string, until: (o: ReceivedOrder) => boolean = () => true) => eventually(async () => {
    const held = engage.sim.orders.get(id);
    return held && until(held) ? held : undefined;
  }, 20_000, `order ${id} at Engage`).catch(async (error: Error) => {
    // What the runtime holds says why: still queued (and its last error), or a dead letter.
    const shop = woo && id.length < 4 ? `woocommerce:${new URL(woo.url).host}` : SHOP;
    const queued = await api('GET', `/outbox?shop=${encodeURIComponent(shop)}`).catch(() => null);
    const letters = await api('GET', `/dead-letters?shop=${encodeURIComponent(shop)}`).catch(() => null);
    throw new Error(`${error.message}; Engage holds ${JSON.stringify(engage.sim.orders.get(id) ?? null)}; outbox ${JSON.stringify(queued?.json)}; dead letters ${JSON.stringify(letters?.json)}`);
  });
  /** Each order's writes at the store, in arrival order: no version may come after a newer one. */
  const writesInOrder = () => {
    const last = new Map<string, string>();
    for (const w of engage.writes) {
      const id = integerKey(w.order_id);
      const modified = w.date_modified_gmt ?? '';
      expect(modified >= (last.get(id) ?? ''), `order ${id}: ${modified} after ${last.get(id)}`).toBe(true);
      last.set(id, modified);
    }
  };

  beforeAll(async () => {
    engage = await startRecordingEngage();
    rt = await start();
  }, 180_000);
  afterAll(async () => {
    await rt?.stop();
    await woo?.close();
    await engage?.server.close();
  }, 60_000);

  it('Shopify: new, updated, stale, duplicate and deleted orders reach Engage and the local store; forged ones are 401', async () => {
    // The shop registers itself with its first verified webhook; then Engage is added as its destination.
    expect((await shopify('orders/create', shopifyOrder(5000, 1))).json.outcome).toBe('accepted');
    const added = await api('POST', `/shops/${encodeURIComponent(SHOP)}/destinations`, {
      id: 'engage', kind: 'engage', settings: { baseUrl: engage.url }, secret: engage.sim.token,
    });
    expect(added.status).toBe(201);
    expect(JSON.stringify(added.json)).not.toContain(engage.sim.token);
    expect((await api('GET', '/shops')).json.items.map((s: { id: string }) => s.id)).toContain(SHOP);

    expect((await shopify('orders/create', shopifyOrder(5001, 1), 'create-5001')).json.outcome).toBe('accepted');
    expect((await shopify('orders/updated', shopifyOrder(5001, 3))).json.outcome).toBe('accepted');
    expect((await shopify('orders/updated', shopifyOrder(5001, 2))).json.outcome).toBe('stale');
    expect((await shopify('orders/create', shopifyOrder(5001, 1), 'create-5001')).json.outcome).toBe('duplicate');
    const held = await atEngage('5001', (o) => o.date_modified_gmt === modifiedAt(3));
    expect(held).toMatchObject({ email: 'zoe.lukasiewicz@example.com', currency: 'USD', city: 'Kraków' });
    const local = await localOrder(`${SHOP}:5001`, (o) => o.note === 'version 3');
    expect(local).toMatchObject({ source: { platform: 'shopify', shop: DOMAIN, orderId: '5001' }, currency: 'USD' });

    expect((await shopify('orders/delete', JSON.stringify({ id: 5001 }))).json.outcome).toBe('accepted');
    expect((await localOrder(`${SHOP}:5001`, (o) => o.status === 'deleted')).note).toBe('version 3');

    const forged = await sendShopifyWebhook(rt.url, { topic: 'orders/create', body: shopifyOrder(5002, 1), secret: 'not-the-secret', shop: DOMAIN });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'invalid_signature' });
    expect((await api('GET', `/orders/${encodeURIComponent(`${SHOP}:5002`)}`)).status).toBe(404);
    writesInOrder();
  });

  it('WooCommerce: the shop connected through its REST API, its signed webhooks (new, updated, stale, duplicate, deleted) delivered; a forged one is 401', async () => {
    woo = await startWooSimulator({ consumerKey: 'ck_rt', consumerSecret: 'cs_rt', storeCurrency: 'USD', now: () => clock });
    const shop = `woocommerce:${new URL(woo.url).host}`;
    const connected = await api('POST', '/shops', {
      platform: 'woocommerce', url: woo.url, consumerKey: 'ck_rt', consumerSecret: 'cs_rt', storeCurrency: 'USD', deliveryUrl: `${rt.url}/webhooks/woocommerce`,
    });
    expect(connected).toMatchObject({ status: 201, json: { shop: { id: shop, hasWebhookSecret: true } } });
    expect(woo.webhooks.map((w) => w.topic).sort()).toEqual(['customer.created', 'order.created', 'order.deleted', 'order.restored', 'order.updated']);
    expect(woo.deliveries.filter((d) => d.kind === 'ping').every((p) => p.status === 200)).toBe(true);
    expect((await api('POST', `/shops/${encodeURIComponent(shop)}/destinations`, { id: 'engage', kind: 'engage', settings: { baseUrl: engage.url }, secret: engage.sim.token })).status).toBe(201);

    clock += 60_000;
    const created = await woo.createOrder({ status: 'processing', set_paid: true, billing: { email: 'zoe@example.com', first_name: 'Zoë', country: 'PL', city: 'Kraków' }, line_items: [{ name: 'Kubek', quantity: 2, price: '12.50', product_id: 7001 }] });
    const id = created.id as number;
    const key = `${shop}:${id}`;
    expect(woo.deliveries.at(-1)).toMatchObject({ topic: 'order.created', status: 200 });
    clock += 60_000;
    await woo.updateOrder(id, { status: 'completed' });
    await localOrder(key, (o) => o.status === 'completed');
    await atEngage(String(id));
    // The local store shows the newest version once any is delivered: its count settles when the outbox is empty.
    await eventually(async () => ((await api('GET', `/outbox?shop=${encodeURIComponent(shop)}`)).json.total.count === 0 ? true : undefined), 20_000, 'an empty outbox');
    const completed = await localOrder(key);

    // An older version sent late is stale, a delivery sent again a duplicate: neither is delivered again.
    const [stale] = await woo.sendStale(id, { versionsBack: 1 });
    expect(stale).toMatchObject({ status: 200 });
    expect(JSON.parse(stale!.body)).toMatchObject({ status: 'processing' });
    const last = woo.deliveries.find((d) => d.topic === 'order.updated' && (JSON.parse(d.body) as { status?: string }).status === 'completed')!;
    const again = await fetch(last.url, { method: 'POST', body: last.body, headers: last.headers });
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await localOrder(key)).toMatchObject({ status: 'completed', _delivery: { deliveries: completed._delivery.deliveries } });

    const forged = await fetch(last.url, { method: 'POST', body: last.body, headers: { ...last.headers, 'x-wc-webhook-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } });
    expect(forged.status).toBe(401);

    clock += 60_000;
    await woo.deleteOrder(id);
    expect((await localOrder(key, (o) => o.status === 'deleted')).customer).toMatchObject({ email: 'zoe@example.com' });
    expect((await localOrder(key)).status).toBe('deleted');
    writesInOrder();
  });

  it('resync: a Shopify shop (Admin GraphQL) and a WooCommerce shop (REST) read from their APIs into the local store', async () => {
    /** Starts a resync of the shop's last month and waits for its end. */
    const resyncOf = async (shop: string) => {
      const started = await api('POST', `/shops/${encodeURIComponent(shop)}/resync`, {
        from: new Date(Date.now() - 30 * DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString(),
      });
      expect(started.status, JSON.stringify(started.json)).toBe(202);
      return eventually(async () => {
        const { json } = await api('GET', `/resync/${started.json.id}?shop=${encodeURIComponent(shop)}`);
        return ['done', 'failed', 'cancelled'].includes(json.state) ? json : undefined;
      }, 60_000, `resync ${started.json.id} of ${shop} to end`);
    };
    const localOrders = (shop: string, count: number) => eventually(async () => {
      const { json } = await api('GET', `/orders?shop=${encodeURIComponent(shop)}&limit=100`);
      return json.orders.length === count ? json.orders as Array<{ source: { orderId: string } }> : undefined;
    }, 30_000, `${count} orders of ${shop} in the local store`);

    const shopify = `shopify:${shopifyAdmin.shop}`;
    const connected = await api('POST', '/shops', {
      platform: 'shopify', shop: shopifyAdmin.shop, accessToken: shopifyAdmin.accessToken, deliveryUrl: `${rt.url}/webhooks/shopify`,
    });
    expect(connected.status, JSON.stringify(connected.json)).toBe(201);
    expect(await resyncOf(shopify)).toMatchObject({ state: 'done', lastError: null, orders: { seen: SHOPIFY_ORDERS, queued: SHOPIFY_ORDERS, failed: 0 } });
    expect(await localOrders(shopify, SHOPIFY_ORDERS)).toHaveLength(SHOPIFY_ORDERS);

    // Orders made before the shop was connected, no webhook registered: only the resync brings them.
    const shop = await startWooSimulator({ consumerKey: 'ck_rs', consumerSecret: 'cs_rs', storeCurrency: 'EUR' });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const o = await shop.createOrder({ set_paid: true, billing: { email: `kund${i}@example.com` }, line_items: [{ name: 'Kaffe', product_id: 7, quantity: 1, price: '49.00' }] });
        ids.push(o.id as number);
      }
      const woocommerce = `woocommerce:${new URL(shop.url).host}`;
      const added = await api('POST', '/shops', {
        platform: 'woocommerce', url: shop.url, consumerKey: 'ck_rs', consumerSecret: 'cs_rs', storeCurrency: 'EUR', registerWebhooks: false, webhookSecret: 'rs-secret',
      });
      expect(added.status, JSON.stringify(added.json)).toBe(201);
      expect(await resyncOf(woocommerce)).toMatchObject({ state: 'done', lastError: null, orders: { seen: 5, queued: 5, failed: 0 } });
      const held = await localOrders(woocommerce, 5);
      expect(held.map((o) => Number(o.source.orderId)).sort((a, b) => a - b)).toEqual(ids);
      // Gone with its simulator: later reconciliation passes have no shop to read that no longer answers.
      expect((await api('DELETE', `/shops/${encodeURIComponent(woocommerce)}`)).status).toBe(200);
    } finally {
      await shop.close();
    }
  }, 120_000);

  it('reconciliation: an order changed at the platform without a webhook is delivered by the next pass (Node: soon after start, then each interval; the Worker: at the cron)', async () => {
    const shopify = `shopify:${shopifyAdmin.shop}`;
    const [id] = shopifyAdmin.orderIds();
    // Its own note each runtime (both read the one simulator shop).
    const note = `changed at ${Date.now()}, and its webhook lost`;
    shopifyAdmin.changeOrder(id!, { note });
    expect((await api('GET', `/orders/${encodeURIComponent(`${shopify}:${id}`)}`)).json.note).not.toBe(note);
    rt = await rt.retain();
    await localOrder(`${shopify}:${id}`, (o) => o.note === note);
    // The pass is a resync job by update time, marked as reconciliation.
    const listed = await api('GET', `/resync?shop=${encodeURIComponent(shopify)}`);
    expect(listed.json.items[0]).toMatchObject({ reconcile: true, range: { by: 'updated' } });
  }, 60_000);

  it('a store failing then recovering: each version retried and delivered, none out of order', async () => {
    engage.sim.faults.set({ serverErrorRate: 1 });
    for (const [id, version] of [[5101, 1], [5102, 1], [5101, 2], [5101, 3], [5102, 2]] as const) {
      expect((await shopify(version === 1 ? 'orders/create' : 'orders/updated', shopifyOrder(id, version))).json.outcome).toBe('accepted');
    }
    await eventually(async () => (engage.sim.faults.injected.serverError >= 3 ? true : undefined), 20_000, 'retries against the failing store');
    engage.sim.faults.clear();
    await atEngage('5101', (o) => o.date_modified_gmt === modifiedAt(3));
    await atEngage('5102', (o) => o.date_modified_gmt === modifiedAt(2));
    writesInOrder();
    const outbox = await eventually(async () => {
      const { json } = await api('GET', `/outbox?destination=${encodeURIComponent(`${SHOP}:engage`)}`);
      return json.total.count === 0 ? json : undefined;
    }, 20_000, 'an empty outbox');
    expect(outbox.items).toEqual([]);
  });

  it('the admin API: a refused order is a dead letter; fixing the destination and replaying delivers it', async () => {
    const destination = `${SHOP}:engage`;
    expect((await api('POST', `/shops/${encodeURIComponent(SHOP)}/destinations`, { id: 'engage', kind: 'engage', settings: { baseUrl: engage.url, maxOrderAgeDays: 365 } })).status).toBe(200);
    const old = new Date(Date.now() - 400 * 86_400_000).toISOString();
    expect((await shopify('orders/create', shopifyOrder(5201, 1, old))).json.outcome).toBe('accepted');
    const letters = await eventually(async () => {
      const { json } = await api('GET', `/dead-letters?destination=${encodeURIComponent(destination)}`);
      return json.items.length > 0 ? json.items : undefined;
    }, 20_000, 'a dead letter');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ orderKey: `${SHOP}:5201`, error: expect.stringContaining('Engage takes orders from the last 365 days only') });
    const listed = await api('GET', `/shops/${encodeURIComponent(SHOP)}/destinations`);
    expect(listed.json.items.find((d: { id: string }) => d.id === destination)).toMatchObject({ hasSecret: true, settings: { maxOrderAgeDays: 365 } });

    expect((await api('POST', `/shops/${encodeURIComponent(SHOP)}/destinations`, { id: 'engage', kind: 'engage', settings: { baseUrl: engage.url, maxOrderAgeDays: 730 } })).status).toBe(200);
    const replayed = await api('POST', `/dead-letters/${letters[0].id}/replay?shop=${encodeURIComponent(SHOP)}`);
    expect(replayed).toMatchObject({ status: 202, json: { replayed: true, orderKey: `${SHOP}:5201` } });
    expect((await api('POST', `/dead-letters/${letters[0].id}/replay?shop=${encodeURIComponent(SHOP)}`)).status).toBe(409);
    await atEngage('5201');
    expect((await api('GET', `/dead-letters?destination=${encodeURIComponent(destination)}`)).json.items).toEqual([]);
  });

  it('retention: receipts past RECEIPTS_RETENTION_DAYS are pruned, so a delivery sent again after is no longer a duplicate', async () => {
    const body = shopifyOrder(5401, 1);
    expect((await shopify('orders/create', body, 'create-5401')).json.outcome).toBe('accepted');
    expect((await shopify('orders/create', body, 'create-5401')).json.outcome).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 2_500));
    rt = await rt.retain();
    const again = await eventually(async () => {
      const answer = await shopify('orders/create', body, 'create-5401');
      return answer.json.outcome === 'duplicate' ? undefined : answer;
    }, 20_000, 'the receipt pruned');
    // Its receipt gone, it is taken as a first receipt would be (the order guard refuses older versions only).
    expect(again).toMatchObject({ status: 200, json: { outcome: 'accepted' } });
  }, 60_000);

  it('killed (-9) mid-delivery and started again on the same state: every acknowledged webhook is delivered, in order', async () => {
    engage.sim.faults.set({ serverErrorRate: 1 });
    for (const version of [1, 2, 3]) expect((await shopify(version === 1 ? 'orders/create' : 'orders/updated', shopifyOrder(5301, version))).status).toBe(200);
    const failedBefore = engage.sim.faults.injected.serverError;
    await eventually(async () => (engage.sim.faults.injected.serverError >= failedBefore + 2 ? true : undefined), 20_000, 'retries before the kill');
    await rt.kill();
    engage.sim.faults.clear();
    rt = await rt.restart();
    // Nothing is asked of it: the restarted runtime (on the Worker, the object's stored alarm) resumes by itself.
    await atEngage('5301', (o) => o.date_modified_gmt === modifiedAt(3));
    writesInOrder();
    expect((await localOrder(`${SHOP}:5301`, (o) => o.note === 'version 3')).note).toBe('version 3');
  }, 180_000);
});
