import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startShopifySimulator, type RunningShopifySimulator, type ShopifySimulatorOptions } from '../simulator/index.ts';
import {
  MissingHistoryScopeError, realClock, routeShopifyShop, ShopifyAdmin, ShopifyAdminError, type OrderNode, type PacerClock,
} from './index.ts';

// The Admin client through @shopify/shopify-api against the simulator, over loopback.

const NOW = Date.parse('2026-04-20T00:00:00Z');
let shops = 0;

async function simulator(opts: ShopifySimulatorOptions): Promise<RunningShopifySimulator & { creds: { shop: string; token: string }; unroute: () => void }> {
  const shop = `client-test-${++shops}.myshopify.com`;
  const sim = await startShopifySimulator({ shop, now: () => NOW, bulkLatencyMs: 100, ...opts });
  const unroute = routeShopifyShop(shop, sim.url);
  return Object.assign(sim, { creds: { shop, token: sim.accessToken }, unroute });
}

const gids = (ids: string[]) => ids.map((id) => `gid://shopify/Order/${id}`);
const inRange = (sim: RunningShopifySimulator, from: string, to: string, key: 'createdMs' | 'updatedMs' = 'createdMs') =>
  sim.orderIds().filter((id) => sim.order(id)[key] >= Date.parse(from) && sim.order(id)[key] < Date.parse(to));

describe('a 3-month range of a few thousand orders, paged and in bulk', () => {
  let sim: Awaited<ReturnType<typeof simulator>>;
  // a single query's limit raised on both sides: the same planning, fewer round trips for a test
  const admin = new ShopifyAdmin({ maxQueryCost: 40_000 });
  const range = { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', by: 'created' as const };
  const paged: OrderNode[] = [];
  /** An endCursor met on the way, and how many orders came before it. */
  let stop: { cursor: string | null; count: number } | null = null;

  beforeAll(async () => {
    sim = await simulator({ orders: 2400, from: '2025-12-01T00:00:00Z', to: '2026-04-15T00:00:00Z', bucket: { restoreRate: 50_000 }, maxQueryCost: 40_000 });
  });
  afterAll(async () => {
    sim.unroute();
    await sim.close();
  });

  it('pages the range exactly: every order once, in creation order, each with all its lines', async () => {
    const pages: number[] = [];
    for await (const page of admin.iterateOrders({ ...sim.creds, ...range, now: NOW })) {
      paged.push(...page.orders);
      pages.push(page.orders.length);
      if (!stop && paged.length > 600) stop = { cursor: page.endCursor, count: paged.length };
    }
    const expected = inRange(sim, range.from, range.to);
    expect(expected.length).toBeGreaterThan(1500);
    expect(paged.map((o) => o.id)).toEqual(gids(expected));
    expect(pages.length).toBeGreaterThan(5);
    // orders with more lines than a page of lines were completed by follow-up queries
    const long = paged.filter((o) => sim.order(o.id.split('/').pop()!).lines.length > 10);
    expect(long.length).toBeGreaterThan(10);
    for (const o of paged) {
      const lines = (o.lineItems as { nodes: unknown[]; pageInfo: { hasNextPage: boolean } });
      expect(lines.nodes).toHaveLength(sim.order(o.id.split('/').pop()!).lines.length);
      expect(lines.pageInfo.hasNextPage).toBe(false);
    }
    expect(sim.stats.throttled).toBe(0);
  });

  it('resumes from a page\'s endCursor with nothing lost and nothing twice; ranges by updated_at too', async () => {
    // a process that stopped after the page ending at stop.cursor, started again (another client: nothing shared)
    const again = new ShopifyAdmin({ maxQueryCost: 40_000 });
    const rest: string[] = [];
    for await (const page of again.iterateOrders({ ...sim.creds, ...range, after: stop!.cursor, now: NOW })) rest.push(...page.orders.map((o) => o.id));
    expect([...paged.slice(0, stop!.count).map((o) => o.id), ...rest]).toEqual(paged.map((o) => o.id));

    const updated: OrderNode[] = [];
    for await (const page of admin.iterateOrders({ ...sim.creds, from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z', by: 'updated', now: NOW })) updated.push(...page.orders);
    expect(updated.map((o) => o.id).sort()).toEqual(gids(inRange(sim, '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', 'updatedMs')).sort());
    const times = updated.map((o) => Date.parse(o.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('a bulk operation over the same range gives the same orders, and resumes mid-file from a checkpoint', async () => {
    const ops: string[] = [];
    const bulk: OrderNode[] = [];
    let checkpoint = null;
    for await (const page of admin.runBulkOrders({ ...sim.creds, ...range, pageSize: 300, pollMs: 50, now: NOW, onOperation: (op) => ops.push(op.status) })) {
      bulk.push(...page.orders);
      checkpoint = page.checkpoint;
      if (bulk.length === 600) break; // stopped after two pages
    }
    expect(ops).toEqual(['RUNNING', 'COMPLETED']);
    expect(checkpoint!.byte).toBeGreaterThan(0);
    for await (const page of admin.runBulkOrders({ ...sim.creds, ...range, resume: checkpoint, pageSize: 300, pollMs: 50, now: NOW })) bulk.push(...page.orders);
    expect(sim.bulkOperations).toHaveLength(1); // taken up, not run again
    expect(bulk.map((o) => o.id)).toEqual(paged.map((o) => o.id));
    // the same nodes: paged pageInfo aside, field by field
    const strip = (o: any) => JSON.parse(JSON.stringify(o, (k, v) => (k === 'pageInfo' || k === '__typename' || (k === 'id' && typeof v === 'string' && /ShippingLine|RefundLineItem|OrderTransaction/.test(v)) ? undefined : v)));
    for (let i = 0; i < bulk.length; i += 97) expect(strip(bulk[i])).toEqual(strip(paged[i]));
  });
});

describe('pacing by cost', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  for (const rate of [100, 200, 1000, 2000]) {
    it(`a small bucket (400 points) restoring ${rate}/s: the range arrives with zero THROTTLED, within Shopify's 1000-point limit`, async () => {
      const orders = Math.max(10, Math.round(rate / 25));
      const sim = await simulator({ orders, from: '2026-04-01T00:00:00Z', to: '2026-04-10T00:00:00Z', bucket: { restoreRate: rate, maximumAvailable: 400 } });
      cleanups.push(async () => { sim.unroute(); await sim.close(); });
      const admin = new ShopifyAdmin();
      const started = performance.now();
      const got: string[] = [];
      for await (const page of admin.iterateOrders({ ...sim.creds, from: '2026-04-01T00:00:00Z', to: '2026-04-10T00:00:00Z', by: 'created', now: NOW })) got.push(...page.orders.map((o) => o.id));
      const seconds = (performance.now() - started) / 1000;
      expect(got).toEqual(gids(sim.orderIds()));
      expect(sim.stats.throttled).toBe(0);
      expect(sim.stats.maxCostExceeded).toBe(0);
      expect(admin.stats(sim.creds.shop).throttled).toBe(0);
      // the bucket was the limit, not the client: it waited for points, and never spent faster than they came back
      expect(sim.stats.pointsSpent).toBeGreaterThan(400);
      expect(admin.stats(sim.creds.shop).waitedMs).toBeGreaterThan(0);
      expect(sim.stats.pointsSpent).toBeLessThanOrEqual(400 + rate * seconds);
    });
  }

  it('a query dearer than the whole bucket fails with a clear error instead of waiting forever', async () => {
    const sim = await simulator({ orders: 5, bucket: { restoreRate: 100, maximumAvailable: 60 } });
    cleanups.push(async () => { sim.unroute(); await sim.close(); });
    const pages = new ShopifyAdmin().iterateOrders({ ...sim.creds, from: '2026-01-01T00:00:00Z', to: '2026-05-01T00:00:00Z', by: 'created', now: NOW });
    await expect(pages.next()).rejects.toThrow(/points cannot run: the bucket holds at most 60/);
    expect(sim.stats.throttled).toBe(1);
  });

  it('a THROTTLED answer is waited out exactly as long as the restore rate says, then sent again', async () => {
    const sim = await simulator({ orders: 50, bucket: { restoreRate: 100, maximumAvailable: 1000 } });
    cleanups.push(async () => { sim.unroute(); await sim.close(); });
    const sleeps: number[] = [];
    const clock: PacerClock = { now: realClock.now, sleep: (ms) => { sleeps.push(ms); return realClock.sleep(ms); } };
    const admin = new ShopifyAdmin({ clock });
    await admin.grantedScopes(sim.creds); // the client now believes the bucket full
    sim.bucket().set({ currentlyAvailable: 0 }); // someone else spent it all
    const query = '{ orders(first: 40) { nodes { id } } }'; // requested 2 + 40 = 42
    const started = performance.now();
    const { data, cost } = await admin.query<{ orders: { nodes: unknown[] } }>(sim.creds, query);
    const elapsed = performance.now() - started;
    expect(data.orders.nodes).toHaveLength(40);
    expect(cost!.requestedQueryCost).toBe(42);
    expect(sim.stats.throttled).toBe(1);
    const stats = admin.stats(sim.creds.shop);
    expect(stats.throttled).toBe(1);
    // (requested − currentlyAvailable) / restoreRate: 42 points at 100/s less what had flowed back before the answer
    const [wait] = stats.throttleWaits;
    expect(wait).toBeLessThanOrEqual(420);
    expect(wait).toBeGreaterThan(420 - 100);
    expect(sleeps).toEqual([wait]);
    expect(elapsed).toBeGreaterThanOrEqual(wait!);
  });
});

describe('scopes and failures', () => {
  let sim: Awaited<ReturnType<typeof simulator>>;
  beforeAll(async () => {
    sim = await simulator({ orders: 200, from: '2025-12-01T00:00:00Z', to: '2026-04-15T00:00:00Z', extraTokens: [{ token: 'shpat_recent_only', scopes: ['read_orders'] }] });
  });
  afterAll(async () => {
    sim.unroute();
    await sim.close();
  });

  it('orders older than 60 days without read_all_orders: says so, naming the scope and the oldest readable date, before reading', async () => {
    const admin = new ShopifyAdmin();
    const creds = { shop: sim.creds.shop, token: 'shpat_recent_only' };
    const pages = admin.iterateOrders({ ...creds, from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', by: 'created', now: NOW });
    const error = await pages.next().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(MissingHistoryScopeError);
    expect((error as Error).message).toMatch(/read_all_orders/);
    expect((error as Error).message).toMatch(/2026-02-19T00:00:00.000Z/);
    expect((error as Error).message).not.toMatch(/shpat_/);
    expect(sim.stats.requests).toBe(1); // the scope query only
    expect(await admin.historyAccess({ ...creds, from: '2026-03-01T00:00:00Z', now: NOW })).toMatchObject({ ok: true });
    expect(await admin.historyAccess({ ...sim.creds, from: '2025-01-01T00:00:00Z', now: NOW })).toMatchObject({ ok: true });
  });

  it('retries a 503 and a dropped connection; a refused token is a clear error without the token in it', async () => {
    const admin = new ShopifyAdmin({ retryBaseMs: 10 });
    sim.faults.set({ opening: ['serverError', 'drop'] });
    expect((await admin.grantedScopes(sim.creds))).toContain('read_all_orders');
    expect(sim.faults.injected).toMatchObject({ serverError: 1, drop: 1 });
    const refused = await admin.grantedScopes({ shop: sim.creds.shop, token: 'shpat_revoked' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShopifyAdminError);
    expect((refused as ShopifyAdminError).code).toBe('http_401');
    expect((refused as Error).message).toMatch(/access token was refused/);
    expect((refused as Error).message).not.toMatch(/shpat_revoked/);
  });
});
