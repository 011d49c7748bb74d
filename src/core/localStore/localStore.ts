import { z } from 'zod';
import type { Order } from '../canonical/index.ts';
import type { DeliveryItem, DeliveryOutcome, StoreDefinition } from '../delivery/destination.ts';
import { settingsObject } from '../delivery/storeSettings.ts';
import type { Db, SqlPort } from '../state/sqlPort.ts';
import { packOrder, unpackOrder, unpackOrderBytes } from '../state/packedOrder.ts';
import { LOCAL_STORE_KIND } from '../shops/registry.ts';

const DELIVERED: DeliveryOutcome = { outcome: 'delivered' };

/** The embedded order store: tables in the same SQLite file, so orderbridge works with no account anywhere. */
export function createLocalStore(db: Db): StoreDefinition<Record<string, never>> {
  // Raw statements like the rest of the per-order path: drizzle's run() builds its parameters per call.
  const addEvent = db.$client.prepare('INSERT INTO local_events (order_key, type, payload, delivered_at) VALUES (?, ?, ?, ?)');

  const delivered = `deliveries = local_orders.deliveries + 1, delivered_at = excluded.delivered_at`;
  // The order is read where `orders` keeps it (each version is stored once): delivering it records that it came.
  const markDelivered = db.$client.prepare(`
    INSERT INTO local_orders (key, shop_id, copy, source_updated_at, deliveries, delivered_at)
    SELECT key, shop_id, NULL, source_updated_at, 1, ? FROM orders WHERE key = ?
    ON CONFLICT(key) DO UPDATE SET copy = NULL,
      source_updated_at = max(excluded.source_updated_at, local_orders.source_updated_at), ${delivered}`);
  // An older copy never replaces a newer one, even if a replay sends it.
  const putCopy = db.$client.prepare(`
    INSERT INTO local_orders (key, shop_id, copy, source_updated_at, deliveries, delivered_at)
    VALUES (?, ?, ?, ?, 1, ?)
    ON CONFLICT(key) DO UPDATE SET
      copy = CASE WHEN excluded.source_updated_at >= local_orders.source_updated_at THEN excluded.copy ELSE local_orders.copy END,
      source_updated_at = max(excluded.source_updated_at, local_orders.source_updated_at), ${delivered}`);

  const deliverOne = (item: DeliveryItem, now: number): void => {
    const isOrderRow = item.customer === null;
    // A replayed letter whose order has left `orders` (shop/redact) carries its own copy: only that one is kept here.
    if (isOrderRow && markDelivered.run(now, item.orderKey).changes === 0 && item.order) {
      const { source } = item.order;
      putCopy.run(item.orderKey, `${source.platform}:${source.shop}`, packOrder(JSON.stringify(item.order)), Date.parse(item.order.updatedAt), now);
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
    // Nothing to reach: it writes into this database.
    checkConnection: async () => ({ ok: true, detail: 'the local store is this database' }),
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

/** A page of orders as UTF-8 JSON (never parsed, nor made strings, on the way out), and the cursor of the next page. */
export interface LocalOrderPage {
  orders: Buffer[];
  nextCursor: string | null;
}

/** `nextCursor`: `<sourceUpdatedAt>:<rowid>` of a page's last order. */
export const LOCAL_ORDER_CURSOR = /^(\d{1,16}):(\d{1,16})$/;

/** The order as the local store shows it: the version `orders` keeps (the newest held), else its own copy. */
const SHOWN = 'coalesce(o.canonical, l.copy)';

/**
 * Newest first, every shop's or one shop's: one index range each (from @from up to the row value (@at, @id), the
 * cursor or the end of `updatedTo`), so a page costs the same at any depth. rowid breaks ties of update time.
 */
export const LOCAL_ORDER_LISTINGS = {
  all: `SELECT l.rowid, l.source_updated_at, ${SHOWN} FROM local_orders l LEFT JOIN orders o ON o.key = l.key
    WHERE (l.source_updated_at, l.rowid) < (@at, @id) AND l.source_updated_at >= @from
    ORDER BY l.source_updated_at DESC, l.rowid DESC LIMIT @limit`,
  ofShop: `SELECT l.rowid, l.source_updated_at, ${SHOWN} FROM local_orders l LEFT JOIN orders o ON o.key = l.key
    WHERE l.shop_id = @shop AND (l.source_updated_at, l.rowid) < (@at, @id) AND l.source_updated_at >= @from
    ORDER BY l.source_updated_at DESC, l.rowid DESC LIMIT @limit`,
  events: 'SELECT type, delivered_at AS deliveredAt FROM local_events WHERE order_key = ? ORDER BY id',
} as const;

/** Beyond every rowid and time a page can hold. */
const END = Number.MAX_SAFE_INTEGER;

/** Reads for the admin API: orders as the local store holds them. */
export class LocalStoreReader {
  /** Prepared once: the statements this class runs. */
  private readonly statements;

  /** Over any connection to the file: the main one, or a read-only one of a thread serving admin pages. */
  constructor(sqlite: SqlPort) {
    this.statements = {
      get: sqlite.prepare(`SELECT ${SHOWN} AS packed, l.deliveries, l.delivered_at AS deliveredAt
        FROM local_orders l LEFT JOIN orders o ON o.key = l.key WHERE l.key = ?`),
      all: sqlite.prepare(LOCAL_ORDER_LISTINGS.all).raw(true),
      ofShop: sqlite.prepare(LOCAL_ORDER_LISTINGS.ofShop).raw(true),
      events: sqlite.prepare(LOCAL_ORDER_LISTINGS.events),
    };
  }

  get(key: string): { order: Order; deliveries: number; deliveredAt: number } | undefined {
    const row = this.statements.get.get(key) as { packed: Buffer | null; deliveries: number; deliveredAt: number } | undefined;
    return row?.packed ? { order: JSON.parse(unpackOrder(row.packed)) as Order, deliveries: row.deliveries, deliveredAt: row.deliveredAt } : undefined;
  }

  /** Newest first by source update time, up to `limit` orders after the cursor (LOCAL_ORDER_CURSOR; the caller checked it). */
  list(q: LocalOrderQuery): LocalOrderPage {
    // Up to the cursor, or to the end of updatedTo when that comes first.
    let [at, id] = [q.updatedTo ?? END, END];
    const cursor = q.cursor ? LOCAL_ORDER_CURSOR.exec(q.cursor) : null;
    if (cursor && Number(cursor[1]) <= at) [at, id] = [Number(cursor[1]), Number(cursor[2])];
    const params = { at, id, from: q.updatedFrom ?? -END, limit: q.limit + 1 };
    const rows = (q.shopId === undefined ? this.statements.all.all(params) : this.statements.ofShop.all({ ...params, shop: q.shopId })) as Array<[number, number, Buffer | null]>;
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      orders: page.flatMap(([, , packed]) => (packed ? [unpackOrderBytes(packed)] : [])),
      nextCursor: rows.length > q.limit && last ? `${last[1]}:${last[0]}` : null,
    };
  }

  events(orderKey: string): Array<{ type: string; deliveredAt: number }> {
    return this.statements.events.all(orderKey) as Array<{ type: string; deliveredAt: number }>;
  }
}
