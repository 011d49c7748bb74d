import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Order } from '../canonical/index.ts';
import type { DeliveryItem, DeliveryOutcome, StoreDefinition } from '../delivery/destination.ts';
import { settingsObject } from '../delivery/storeSettings.ts';
import type { Db } from '../state/sqlPort.ts';
import { localEvents, localOrders } from '../state/schema.ts';
import { LOCAL_STORE_KIND } from '../shops/registry.ts';

const DELIVERED: DeliveryOutcome = { outcome: 'delivered' };

/** The embedded order store: tables in the same SQLite file, so orderbridge works with no account anywhere. */
export function createLocalStore(db: Db): StoreDefinition<Record<string, never>> {
  // Raw statements like the rest of the per-order path: drizzle's run() builds its parameters per call.
  const addEvent = db.$client.prepare('INSERT INTO local_events (order_key, type, payload, delivered_at) VALUES (?, ?, ?, ?)');

  // An older version never replaces a newer one, even if a replay sends it.
  const keepNewest = `ON CONFLICT(key) DO UPDATE SET
      canonical = CASE WHEN excluded.source_updated_at >= local_orders.source_updated_at THEN excluded.canonical ELSE local_orders.canonical END,
      source_updated_at = max(excluded.source_updated_at, local_orders.source_updated_at),
      deliveries = local_orders.deliveries + 1,
      delivered_at = excluded.delivered_at`;
  // The version held in `orders` goes over inside SQLite: no JSON crosses into JavaScript and back.
  const copyOrder = db.$client.prepare(`
    INSERT INTO local_orders (key, shop_id, canonical, source_updated_at, deliveries, delivered_at)
    SELECT key, shop_id, canonical, source_updated_at, 1, ? FROM orders WHERE key = ? ${keepNewest}`);
  const putOrder = db.$client.prepare(`
    INSERT INTO local_orders (key, shop_id, canonical, source_updated_at, deliveries, delivered_at)
    VALUES (?, ?, ?, ?, 1, ?) ${keepNewest}`);

  const deliverOne = (item: DeliveryItem, now: number): void => {
    const isOrderRow = item.customer === null;
    // A replayed letter whose order has left `orders` (shop/redact) carries its own copy.
    if (isOrderRow && copyOrder.run(now, item.orderKey).changes === 0 && item.order) {
      const { source } = item.order;
      putOrder.run(item.orderKey, `${source.platform}:${source.shop}`, JSON.stringify(item.order), Date.parse(item.order.updatedAt), now);
    }
    const payload = item.customer ? JSON.stringify(item.customer) : null;
    for (const type of item.events) addEvent.run(item.orderKey, type, payload, now);
  };

  // Built once: drizzle's db.transaction builds a transaction object and its query builders per call.
  const deliverAll = db.$client.transaction((items: DeliveryItem[], now: number) => {
    for (const item of items) deliverOne(item, now);
  });

  return {
    kind: LOCAL_STORE_KIND,
    title: 'Embedded local store',
    settingsSchema: settingsObject({}) as unknown as z.ZodType<Record<string, never>>,
    requiresSecret: false,
    batchSize: 500,
    requestsPerSecond: null,
    timeoutMs: 5_000,
    async deliver(items, ctx): Promise<DeliveryOutcome[]> {
      deliverAll.immediate(items, ctx.now());
      return items.map(() => DELIVERED);
    },
  };
}

export interface LocalOrderQuery {
  shopId?: string;
  updatedFrom?: number;
  updatedTo?: number;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

/** Reads for the admin API: orders as the local store holds them. */
export class LocalStoreReader {
  constructor(private readonly db: Db) {}

  get(key: string): { order: Order; deliveries: number; deliveredAt: number } | undefined {
    const row = this.db.select().from(localOrders).where(eq(localOrders.key, key)).get();
    return row && { order: JSON.parse(row.canonical) as Order, deliveries: row.deliveries, deliveredAt: row.deliveredAt };
  }

  /** Newest first by source update time; the cursor is `<sourceUpdatedAt>:<key>` of the last row. */
  list(query: LocalOrderQuery): { orders: Order[]; nextCursor: string | null } {
    const conds: SQL[] = [];
    if (query.shopId) conds.push(eq(localOrders.shopId, query.shopId));
    if (query.updatedFrom !== undefined) conds.push(gte(localOrders.sourceUpdatedAt, query.updatedFrom));
    if (query.updatedTo !== undefined) conds.push(lte(localOrders.sourceUpdatedAt, query.updatedTo));
    if (query.cursor) {
      const i = query.cursor.indexOf(':');
      const at = Number(query.cursor.slice(0, i));
      const key = query.cursor.slice(i + 1);
      conds.push(sql`(${localOrders.sourceUpdatedAt} < ${at} OR (${localOrders.sourceUpdatedAt} = ${at} AND ${localOrders.key} < ${key}))`);
    }
    const rows = this.db.select().from(localOrders).where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(localOrders.sourceUpdatedAt), desc(localOrders.key)).limit(query.limit + 1).all();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      orders: page.map((r) => JSON.parse(r.canonical) as Order),
      nextCursor: rows.length > query.limit && last ? `${last.sourceUpdatedAt}:${last.key}` : null,
    };
  }

  events(orderKey: string): Array<{ type: string; deliveredAt: number }> {
    return this.db.select({ type: localEvents.type, deliveredAt: localEvents.deliveredAt }).from(localEvents)
      .where(eq(localEvents.orderKey, orderKey)).orderBy(localEvents.id).all();
  }
}
