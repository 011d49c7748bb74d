// GET /api/orders: the local store's orders newest first, a shop's or every shop's, within an update-time range,
// paged by cursor through every order once (ties of update time included), each as stored. GET /api/shops by id.
import { describe, expect, it } from 'vitest';
import type { Order } from '../src/core/canonical/index.ts';
import { ordersRoutes } from '../src/app/admin/ordersRoutes.ts';
import { shopsRoutes } from '../src/app/admin/shopsRoutes.ts';
import type { AppDeps } from '../src/app/appDeps.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { makeOrder } from './support/canonicalOrder.ts';

const database = openDatabase(':memory:');
const storage = createStorage(database, { now: () => 1 });
const app = ordersRoutes({ storage } as AppDeps);
const SHOPS = ['one.myshopify.com', 'two.myshopify.com'];
// 40 orders, two shops, update times seven apart at most (so many share one): a page boundary falls inside ties.
const orders = Array.from({ length: 40 }, (_, i) => makeOrder(String(1000 + i), { updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 7)).toISOString() }, SHOPS[i % 2]));
for (const shop of SHOPS) storage.shops.ensure('shopify', shop);
for (const order of orders) storage.writer.apply(null, { kind: 'order', order, events: ['order.created'], origin: 'webhook' });
database.sqlite.exec('INSERT INTO local_orders (key, shop_id, source_updated_at, deliveries, delivered_at) SELECT key, shop_id, source_updated_at, 1, 0 FROM orders');

async function get(path: string) {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as { orders: Order[]; nextCursor: string | null; error?: string } };
}

/** Every page from the first, following nextCursor. */
async function walk(query: string, limit: number): Promise<Order[]> {
  const seen: Order[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages === 0 || cursor !== null; pages++) {
    if (pages > 50) throw new Error('nextCursor never ended');
    const { body } = await get(`/?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    seen.push(...body.orders);
    cursor = body.nextCursor;
  }
  return seen;
}

const expected = (keep: (o: Order) => boolean) => orders.filter(keep).sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
const keysOf = (list: Order[]) => list.map((o) => o.key);
const byTime = (list: Order[]) => list.map((o) => o.updatedAt);

describe('GET /api/orders', () => {
  it('pages every order once, newest first, each as stored', async () => {
    const all = await walk('', 3);
    expect(new Set(keysOf(all)).size).toBe(40);
    expect(byTime(all)).toEqual(byTime(expected(() => true)));
    expect(all.find((o) => o.key === orders[5]!.key)).toEqual(orders[5]);
  });

  it("pages one shop's orders, and an update-time range (both ends included), alone or together", async () => {
    const shop = `shopify:${SHOPS[1]}`;
    const ofShop = await walk(`shop=${encodeURIComponent(shop)}`, 4);
    expect(keysOf(ofShop).sort()).toEqual(keysOf(expected((o) => o.source.shop === SHOPS[1])).sort());
    expect(byTime(ofShop)).toEqual(byTime(expected((o) => o.source.shop === SHOPS[1])));
    const from = '2026-01-01T00:00:02.000Z';
    const to = '2026-01-01T00:00:04.000Z';
    const inRange = (o: Order) => o.updatedAt >= from && o.updatedAt <= to;
    expect(keysOf(await walk(`updatedFrom=${from}&updatedTo=${to}`, 5)).sort()).toEqual(keysOf(expected(inRange)).sort());
    const both = await walk(`shop=${encodeURIComponent(shop)}&updatedTo=${Date.parse(to)}`, 2);
    expect(keysOf(both).sort()).toEqual(keysOf(expected((o) => o.source.shop === SHOPS[1] && o.updatedAt <= to)).sort());
  });

  it('refuses a cursor it did not give with 400 naming it', async () => {
    const { status, body } = await get(`/?cursor=${encodeURIComponent('1767225600000:shopify:one.myshopify.com:1000')}`);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_query');
  });
});

describe('GET /api/shops', () => {
  it('pages every shop once, by id', async () => {
    for (let i = 0; i < 5; i++) storage.shops.ensure('shopify', `more-${i}.myshopify.com`);
    const shops = shopsRoutes({ storage } as AppDeps);
    const ids: string[] = [];
    let after: string | null = '';
    while (after !== null) {
      const body = await (await shops.request(`/shops?limit=2&after=${encodeURIComponent(after)}`)).json() as { items: Array<{ id: string }>; nextAfter: string | null };
      ids.push(...body.items.map((s) => s.id));
      after = body.nextAfter;
    }
    expect(ids).toEqual(storage.shops.list().map((s) => s.id).sort());
    expect(ids).toHaveLength(7);
  });
});
