// A Shopify shop's 3-month range resynced from the Admin GraphQL simulator into the local store, over real HTTP,
// by an orderbridge process on a real SQLite file: paged and through a bulk operation, complete and exact (each
// order as the webhook mapping makes it), sent once; a second resync sends nothing, `force` sends all again; a
// tiny bucket is never emptied (zero THROTTLED); kill -9 mid-resync and a restart finish the job with every order
// once, each at its newest version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifySimulator, type RunningShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { mapShopifyOrder } from '../mappings/platforms/shopify/order.ts';
import { parseJsonLossless } from '../src/core/canonical/index.ts';
import { query } from './support/database.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { api, delivered, finished, heldOrders, localStore, resync, RESYNC_TOKEN } from './support/resyncHarness.ts';
import { eventually } from './support/shopifySender.ts';

const DAY = 86_400_000;
const NOW = Date.now();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
// Queries up to 20,000 points on both sides (Shopify: 1,000), so a test's pages hold ~100 orders rather than ~6.
const FAST = { SHOPIFY_MAX_QUERY_COST: '20000' };
// Three months of a shop with orders over four, ending ten days ago.
const RANGE = { from: day(NOW - 100 * DAY), to: day(NOW - 10 * DAY) };

async function shopifySimulator(shop: string, opts: Parameters<typeof startShopifySimulator>[0] = {}): Promise<RunningShopifySimulator> {
  return startShopifySimulator({
    shop, orders: 2_800, seed: 20, from: new Date(NOW - 125 * DAY).toISOString(), to: new Date(NOW - 2 * DAY).toISOString(),
    bucket: { restoreRate: 50_000 }, maxQueryCost: 20_000, bulkLatencyMs: 200, ...opts,
  });
}

const inRange = (sim: RunningShopifySimulator, from = RANGE.from, to = RANGE.to) =>
  sim.orderIds().filter((id) => sim.order(id).createdMs >= Date.parse(`${from}T00:00:00Z`) && sim.order(id).createdMs < Date.parse(`${to}T00:00:00Z`));

async function connect(ob: OrderbridgeProcess, shop: string, accessToken: string): Promise<string> {
  const r = await api(ob, 'POST', '/shops', { platform: 'shopify', shop, accessToken, deliveryUrl: `${ob.url}/webhooks/shopify` });
  expect(r.status).toBe(201);
  expect(JSON.stringify(r.json)).not.toContain(accessToken);
  expect(r.json.shop).toMatchObject({ id: `shopify:${shop}`, hasCredentials: true });
  return r.json.shop.id as string;
}

/** Every order of the range once in the local store, each exactly as its webhook maps (and nothing else of the shop). */
function expectExact(ob: OrderbridgeProcess, sim: RunningShopifySimulator, shopId: string, ids: string[], rows: Array<{ key: string; deliveries: number }>, deliveries = 1) {
  expect(rows.map((r) => r.key).sort()).toEqual(ids.map((id) => `${shopId}:${id}`).sort());
  expect(rows.every((r) => r.deliveries === deliveries)).toBe(true);
  const held = heldOrders(ob.databasePath, shopId);
  for (const id of ids) expect(held.get(`${shopId}:${id}`), `order ${id}`).toEqual(mapShopifyOrder(parseJsonLossless(sim.webhookBody(id)), sim.shop));
}

describe('Shopify, paged', () => {
  let sim: RunningShopifySimulator;
  let ob: OrderbridgeProcess;
  let shopId: string;
  let ids: string[];

  beforeAll(async () => {
    sim = await shopifySimulator('resync-paged.myshopify.com');
    ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, SHOPIFY_ADMIN_URL: sim.url, DELIVERY_POLL_MS: '20', ...FAST });
    shopId = await connect(ob, sim.shop, sim.accessToken);
    ids = inRange(sim);
  });
  afterAll(async () => {
    await ob?.stop();
    await sim?.close();
  });

  it('refuses what it cannot do with a JSON error naming the problem', async () => {
    const path = `/shops/${encodeURIComponent(shopId)}/resync`;
    expect((await api(ob, 'POST', '/shops/shopify%3Anope.myshopify.com/resync', RANGE))).toMatchObject({ status: 404, json: { error: 'not_found', message: expect.stringContaining('nope') } });
    expect(await api(ob, 'POST', path, { from: 'yesterday', to: RANGE.to })).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^from: /) } });
    expect(await api(ob, 'POST', path, { from: RANGE.to, to: RANGE.from })).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^to: /) } });
    expect(await api(ob, 'POST', path, { ...RANGE, destinations: ['local', 'nowhere'] })).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^destinations\.1: .*nowhere/) } });
    expect(await api(ob, 'POST', path, { ...RANGE, by: 'paid' })).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^by: /) } });
    expect((await api(ob, 'GET', '/resync/999')).status).toBe(404);
    expect(await api(ob, 'POST', '/shops', { platform: 'shopify', shop: 'not a domain', accessToken: 'x' })).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^shop: /) } });
  });

  it('reads the 3-month range page by page into the local store, complete and exact, each order once', { timeout: 120_000 }, async () => {
    expect(ids.length).toBeGreaterThan(1_500);
    const job = await resync(ob, shopId, RANGE);
    expect(job).toMatchObject({ state: 'done', lastError: null, range: { by: 'created' }, orders: { total: ids.length, seen: ids.length, queued: ids.length, unchanged: 0, failed: 0 } });
    expect(job.pages).toBeGreaterThan(5);
    expectExact(ob, sim, shopId, ids, await delivered(ob, shopId, ids.length));
    // As history: the rows went out as resync, never as live webhooks.
    expect(query(ob.databasePath, 'SELECT count(*) AS n FROM dead_letters')).toEqual([{ n: 0 }]);
    expect(sim.stats.throttled).toBe(0);
  });

  it('a second resync of the range sends nothing; force sends every order again', { timeout: 180_000 }, async () => {
    const again = await resync(ob, shopId, RANGE);
    expect(again.orders).toMatchObject({ seen: ids.length, queued: 0, unchanged: ids.length });
    expect(localStore(ob.databasePath, shopId).waiting).toBe(0);
    const forced = await resync(ob, shopId, { ...RANGE, force: true, destinations: ['local'] });
    expect(forced.orders).toMatchObject({ seen: ids.length, queued: ids.length, unchanged: 0 });
    const rows = await eventually(async () => {
      const { rows: now, waiting } = localStore(ob.databasePath, shopId);
      return waiting === 0 && now.every((r) => r.deliveries === 2) ? now : undefined;
    }, 60_000, 'every order delivered twice');
    expectExact(ob, sim, shopId, ids, rows, 2);
  });

  it('an order changed without a webhook is sent again by a resync by update time, alone', { timeout: 120_000 }, async () => {
    const [id] = ids;
    const changed = sim.changeOrder(id!, { note: 'changed without a webhook', tags: ['resync'] });
    const job = await resync(ob, shopId, { from: new Date(changed.updatedMs).toISOString(), to: day(NOW + 2 * DAY), by: 'updated' });
    expect(job.orders).toMatchObject({ seen: 1, queued: 1, failed: 0 });
    await eventually(async () => (localStore(ob.databasePath, shopId).rows.find((r) => r.key === `${shopId}:${id}`)?.deliveries === 3 ? true : undefined), 20_000, 'the change delivered');
    expect(heldOrders(ob.databasePath, shopId).get(`${shopId}:${id}`)).toEqual(mapShopifyOrder(parseJsonLossless(sim.webhookBody(id!)), sim.shop));
  });
});

describe('Shopify, through a bulk operation', () => {
  it('reads the range from the JSONL into the local store, complete and exact', { timeout: 120_000 }, async () => {
    const sim = await shopifySimulator('resync-bulk.myshopify.com');
    const ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, SHOPIFY_ADMIN_URL: sim.url, RESYNC_BULK_ABOVE: '1000', DELIVERY_POLL_MS: '20', ...FAST });
    try {
      const shopId = await connect(ob, sim.shop, sim.accessToken);
      const ids = inRange(sim);
      const job = await resync(ob, shopId, RANGE);
      expect(job).toMatchObject({ state: 'done', orders: { total: ids.length, seen: ids.length, queued: ids.length, failed: 0 } });
      expect(sim.bulkOperations.map((op) => op.status)).toEqual(['COMPLETED']);
      expectExact(ob, sim, shopId, ids, await delivered(ob, shopId, ids.length));
      // A small range stays paged: no second bulk operation.
      const small = await resync(ob, shopId, { from: RANGE.from, to: day(Date.parse(RANGE.from) + 20 * DAY) });
      expect(small.orders.queued).toBe(0);
      expect(sim.bulkOperations).toHaveLength(1);
    } finally {
      await ob.stop();
      await sim.close();
    }
  });
});

describe('Shopify, a tiny bucket', () => {
  it('never empties it: the resync finishes with zero THROTTLED', { timeout: 120_000 }, async () => {
    const sim = await shopifySimulator('resync-tiny.myshopify.com', { orders: 300, maxQueryCost: 1_000, bucket: { restoreRate: 500, maximumAvailable: 1_000 } });
    const ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, SHOPIFY_ADMIN_URL: sim.url, DELIVERY_POLL_MS: '20' });
    try {
      const shopId = await connect(ob, sim.shop, sim.accessToken);
      const ids = inRange(sim);
      const job = await resync(ob, shopId, RANGE, 100_000);
      expect(job).toMatchObject({ state: 'done', orders: { seen: ids.length, queued: ids.length, failed: 0 } });
      expect(sim.stats.requests).toBeGreaterThan(job.pages);
      expect(sim.stats.throttled).toBe(0);
      await delivered(ob, shopId, ids.length);
    } finally {
      await ob.stop();
      await sim.close();
    }
  });
});

describe('Shopify, kill -9 mid-resync', () => {
  it('resumes from the last committed page on restart: every order once, each at its newest version', { timeout: 180_000 }, async () => {
    const sim = await shopifySimulator('resync-kill.myshopify.com');
    // Each Admin API answer 60 ms late: the job is still running when it is killed.
    sim.faults.set({ slowRate: 1, slowMs: 300 });
    const env = { ADMIN_TOKEN: RESYNC_TOKEN, SHOPIFY_ADMIN_URL: sim.url, DELIVERY_POLL_MS: '20', ...FAST };
    const first = await startOrderbridge(env);
    const shopId = await connect(first, sim.shop, sim.accessToken);
    const ids = inRange(sim);
    const started = await api(first, 'POST', `/shops/${encodeURIComponent(shopId)}/resync`, RANGE);
    expect(started.status).toBe(202);
    await eventually(async () => ((await api(first, 'GET', `/resync/${started.json.id}`)).json.pages >= 5 ? true : undefined), 60_000, 'five pages');
    await first.kill();

    const [crashed] = query<{ state: string; seen: number }>(first.databasePath, 'SELECT state, seen FROM jobs WHERE id = ?', started.json.id);
    expect(crashed!.state).toBe('running');
    expect(crashed!.seen).toBeLessThan(ids.length);
    // Meanwhile the shop changes orders the job has not read yet (no webhook): the resumed job reads them as they are now.
    const later = ids.slice(-5);
    for (const id of later) sim.changeOrder(id, { note: 'changed while orderbridge was down' });
    sim.faults.clear();

    const second = await startOrderbridge(env, first.databasePath);
    try {
      const job = await finished(second, started.json.id as number, 120_000);
      expect(job).toMatchObject({ state: 'done', orders: { seen: ids.length, queued: ids.length, failed: 0 } });
      expectExact(second, sim, shopId, ids, await delivered(second, shopId, ids.length));
      const held = heldOrders(second.databasePath, shopId);
      for (const id of later) expect(held.get(`${shopId}:${id}`)?.note).toBe('changed while orderbridge was down');
    } finally {
      await second.stop();
      await sim.close();
    }
  });
});
