import type { AdminApi, ShopCredentials } from './types.ts';
import {
  DEFAULT_NESTED, ORDER_LINES_QUERY, SHOP_QUERY, ORDER_SHIPPING_QUERY, ordersPageQuery, REFUND_LINES_QUERY, REFUND_TRANSACTIONS_QUERY,
  type NestedPageSizes,
} from './documents.ts';
import { ShopifyAdminError } from './errors.ts';
import { requireHistoryAccess } from './scopes.ts';

// Orders of a date range, a page at a time, each order complete: a page's nested connections (lines, shipping
// lines, refund lines and transactions) are read to their end before the page is handed over. The page's
// endCursor is where a later run resumes (`after`).

export type OrderNode = Record<string, unknown> & { id: string; updatedAt: string; createdAt: string };

export interface OrderRange {
  /** Inclusive. */
  from: Date | string;
  /** Exclusive. */
  to: Date | string;
  /** Which date the range is on; orders come sorted by it (then by id). */
  by: 'created' | 'updated';
}

export interface IterateOrdersOptions extends ShopCredentials, OrderRange {
  /** Resume after this cursor (a page's endCursor). */
  after?: string | null;
  /** Most orders per page (the cost decides below that). */
  maxPageSize?: number;
  nested?: Partial<NestedPageSizes>;
  /** Check the read_all_orders scope first (default true); `now` for that check. */
  checkHistory?: boolean;
  now?: number;
}

export interface OrdersPage {
  orders: OrderNode[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface Connection<T = Record<string, unknown>> {
  nodes: T[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null } | null;
}

const iso = (d: Date | string) => new Date(d).toISOString().replace(/\.000Z$/, 'Z');

/** The `query:` of a range, in Shopify's search syntax. */
export function rangeSearch(range: OrderRange): { search: string; sortKey: 'CREATED_AT' | 'UPDATED_AT' } {
  const field = range.by === 'created' ? 'created_at' : 'updated_at';
  return { search: `${field}:>='${iso(range.from)}' ${field}:<'${iso(range.to)}'`, sortKey: range.by === 'created' ? 'CREATED_AT' : 'UPDATED_AT' };
}

const MAX_PLAN_RETRIES = 3;

/** Runs a paged query whose page size the cost decides; a MAX_COST_EXCEEDED (a too hopeful plan) is planned again. */
async function pagedQuery<T>(admin: AdminApi, creds: ShopCredentials, document: string, vars: Record<string, unknown>, cap: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const first = admin.pageSize(creds.shop, document, 'first', cap, vars);
    try {
      return (await admin.query<T>(creds, document, { ...vars, first }, { pageVariable: 'first' })).data;
    } catch (error) {
      if (!(error instanceof ShopifyAdminError) || error.code !== 'MAX_COST_EXCEEDED' || attempt >= MAX_PLAN_RETRIES) throw error;
    }
  }
}

/** Reads the rest of a nested connection into it. */
async function readRest(admin: AdminApi, creds: ShopCredentials, conn: Connection, document: string, id: string, pick: (data: any) => Connection | undefined): Promise<void> {
  while (conn.pageInfo?.hasNextPage) {
    const data = await pagedQuery<unknown>(admin, creds, document, { id, after: conn.pageInfo.endCursor }, 250);
    const more = pick(data);
    if (!more) throw new ShopifyAdminError(`${id} vanished while its connection was being read`, 'not_found');
    conn.nodes.push(...more.nodes);
    conn.pageInfo = more.pageInfo ?? { hasNextPage: false, endCursor: null };
  }
}

/** Completes an order's nested connections in place. */
export async function completeOrder(admin: AdminApi, creds: ShopCredentials, order: OrderNode): Promise<void> {
  await readRest(admin, creds, order.lineItems as Connection, ORDER_LINES_QUERY, order.id, (d) => d.order?.lineItems);
  await readRest(admin, creds, order.shippingLines as Connection, ORDER_SHIPPING_QUERY, order.id, (d) => d.order?.shippingLines);
  for (const refund of (order.refunds ?? []) as Array<{ id: string; refundLineItems: Connection; transactions: Connection }>) {
    await readRest(admin, creds, refund.refundLineItems, REFUND_LINES_QUERY, refund.id, (d) => d.node?.refundLineItems);
    await readRest(admin, creds, refund.transactions, REFUND_TRANSACTIONS_QUERY, refund.id, (d) => d.node?.transactions);
  }
}

/** Pages of complete orders of a range, oldest first by the range's date, resumable from any page's endCursor. */
export async function* iterateOrders(admin: AdminApi, opts: IterateOrdersOptions): AsyncGenerator<OrdersPage> {
  const creds = { shop: opts.shop, token: opts.token };
  // the scope check is also the bucket's first reading: the first page is then planned to fit it
  if (opts.checkHistory !== false) await requireHistoryAccess(admin, { ...creds, from: opts.from, now: opts.now });
  else if (!admin.pacer(opts.shop).lastStatus) await admin.query(creds, SHOP_QUERY);
  const document = ordersPageQuery({ ...DEFAULT_NESTED, ...opts.nested });
  const { search, sortKey } = rangeSearch(opts);
  let after = opts.after ?? null;
  for (;;) {
    const data = await pagedQuery<{ orders: Connection<OrderNode> }>(admin, creds, document, { after, query: search, sortKey }, opts.maxPageSize ?? 250);
    for (const order of data.orders.nodes) await completeOrder(admin, creds, order);
    const pageInfo = data.orders.pageInfo ?? { hasNextPage: false, endCursor: null };
    yield { orders: data.orders.nodes, endCursor: pageInfo.endCursor ?? after, hasNextPage: pageInfo.hasNextPage };
    if (!pageInfo.hasNextPage) return;
    after = pageInfo.endCursor;
  }
}
