// A database holding many stored orders, filled straight through SQL (a million webhooks would take an hour):
// each shop's orders packed from a few templates of the bench order, update times spread over two years.
import { mapShopifyOrder } from '../../mappings/platforms/shopify/index.ts';
import { parseJsonLossless } from '../../src/core/canonical/index.ts';
import { openDatabase } from '../../src/node/database.ts';
import { packOrder } from '../../src/core/state/packedOrder.ts';
import { createStorage } from '../../src/core/storage.ts';
import { benchOrderTemplate } from './shopifyLoad.ts';

export interface BigDatabase {
  orders: number;
  shops: string[];
  seconds: number;
}

const TEMPLATES = 16;
const START = Date.parse('2024-01-01T00:00:00Z');
const TWO_YEARS = 2 * 365 * 86_400_000;

/**
 * `orders` orders spread over `shopDomains`, delivered to each shop's local store, received at `receivedAt` (before
 * a destination added later, which a backfill then finds missed them all).
 */
export function fillDatabase(path: string, orders: number, shopDomains: string[], receivedAt = Date.now() - 86_400_000): BigDatabase {
  const started = performance.now();
  const database = openDatabase(path);
  const { sqlite } = database;
  const storage = createStorage(database, { now: () => receivedAt - 60_000 });
  for (const shop of shopDomains) storage.shops.ensure('shopify', shop);
  sqlite.exec('CREATE TEMP TABLE bench_shops (idx INTEGER PRIMARY KEY, domain TEXT); CREATE TEMP TABLE bench_templates (shop INTEGER, t INTEGER, packed BLOB, PRIMARY KEY (shop, t))');
  const body = benchOrderTemplate();
  shopDomains.forEach((domain, s) => {
    sqlite.prepare('INSERT INTO bench_shops VALUES (?, ?)').run(s, domain);
    for (let t = 0; t < TEMPLATES; t++) {
      const order = mapShopifyOrder(parseJsonLossless(body.replaceAll('__ORDER_ID__', String(6_400_000_000_000 + t))), domain);
      sqlite.prepare('INSERT INTO bench_templates VALUES (?, ?, ?)').run(s, t, packOrder(JSON.stringify(order)));
    }
  });
  // Update times a minute apart in a scattered order (7919 is prime to any count used), so the time index fills at random.
  sqlite.transaction(() => {
    sqlite.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @orders - 1)
      INSERT INTO orders (key, shop_id, source_updated_at, version, canonical, status, source_created_at, received_at)
      SELECT 'shopify:' || s.domain || ':' || (6400000000000 + i), 'shopify:' || s.domain,
        @start + ((i * 7919) % @orders) * (@span / @orders), 1, t.packed, 'paid', @start + ((i * 7919) % @orders) * (@span / @orders) - 3600000, @receivedAt
      FROM n JOIN bench_shops s ON s.idx = i % @shops JOIN bench_templates t ON t.shop = s.idx AND t.t = (i / @shops) % ${TEMPLATES}`)
      .run({ orders, shops: shopDomains.length, start: START, span: TWO_YEARS, receivedAt });
    sqlite.prepare(`INSERT INTO local_orders (key, shop_id, source_updated_at, deliveries, delivered_at)
      SELECT key, shop_id, source_updated_at, 1, received_at FROM orders ORDER BY key`).run();
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  database.close();
  return { orders, shops: shopDomains.map((d) => `shopify:${d}`), seconds: (performance.now() - started) / 1000 };
}
