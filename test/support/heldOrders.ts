import { openDatabase } from '../../src/node/database.ts';
import { createStorage } from '../../src/core/storage.ts';
import { makeOrder } from './canonicalOrder.ts';

export const HELD_SHOP = 'shopify:demo-shop.myshopify.com';

/**
 * A database whose shop holds `orders` (4,000 or more) orders received before its destination `<shop>:t3` (paused: what is queued
 * for it waits) was added, and besides them 5 deleted ones and 5 received after it, which a backfill leaves out.
 * Filled through SQL, fast. Returns how many orders a backfill of t3 queues.
 */
export function databaseWithHeldOrders(path: string, orders: number): { destination: string; missed: number; total: number } {
  const database = openDatabase(path);
  const storage = createStorage(database, { now: () => 1_000 });
  storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
  const total = orders + 10;
  // Received after t3: the first five; deleted: every thousandth from the 7th, five of them (`orders` of 4,000 or more).
  const deleted = (i: number) => i % 1000 === 7 && i < 5000;
  database.sqlite.function('held_deleted', (i) => (deleted(Number(i)) ? 1 : 0));
  database.sqlite.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @total)
    INSERT INTO orders (key, shop_id, source_updated_at, canonical, status, source_created_at, received_at)
    SELECT @shop || ':' || (100000 + i), @shop, 1, orderbridge_pack_order(@template),
      CASE WHEN held_deleted(i) THEN 'deleted' ELSE 'paid' END, 1, CASE WHEN i <= 5 THEN 9000000 ELSE 500 END FROM n`)
    .run({ total, shop: HELD_SHOP, template: JSON.stringify(makeOrder('1')) });
  const destination = `${HELD_SHOP}:t3`;
  storage.shops.upsertDestination({ id: destination, shopId: HELD_SHOP, kind: 'local', settings: '{}', secretSealed: null, enabled: false });
  database.close();
  return { destination, missed: total - 10, total };
}
