import type { Order } from '../../../src/core/canonical/index.ts';
import { JobFailure } from '../../../src/core/jobs/jobRunner.ts';
import type { ResyncFailure, ResyncPage, ResyncRequest, ResyncSource } from '../../../src/core/resync/source.ts';
import { mapShopifyGraphqlOrder } from '../../../mappings/platforms/shopify/graphql/index.ts';
import { countOrders } from './admin/count.ts';
import { ShopifyAdmin } from './admin/client.ts';
import { MissingHistoryScopeError, ShopifyAdminError } from './admin/errors.ts';
import type { OrderNode } from './admin/orders.ts';
import { routeEveryShopifyShop } from './admin/runtime.ts';

// A Shopify shop's orders for a resync: through the Admin GraphQL API, paged by cursor (iterateOrders) or, for a
// range above `bulkAbove` orders, through a bulk operation whose JSONL is streamed (runBulkOrders); both paced by
// the bucket's cost so that it is never emptied. The job's cursor names the way and where it got to.

export interface ShopifyResyncOptions {
  /** Ranges holding more orders than this are read through a bulk operation (default 10,000). */
  bulkAbove?: number;
  /** Orders per page (a step of the job: one transaction). */
  pageSize?: number;
  /**
   * Orders per page of a bulk file (default 100): whole orders with every line, read as fast as the thread maps them,
   * so a page's objects are what the thread's memory holds at its peak (250 a page took the server past 300 MB).
   */
  bulkPageSize?: number;
  /** How often a running bulk operation is polled. */
  bulkPollMs?: number;
  /** Every shop's Admin API calls go here instead of https://<shop> (a simulator). */
  apiBaseUrl?: string;
  /** The largest requested cost of one query (Shopify's: 1,000). */
  maxQueryCost?: number;
  admin?: ShopifyAdmin;
}

type Cursor = { mode: 'paged'; after: string | null } | { mode: 'bulk'; operationId: string; line: number; byte: number };

/** Failures no retry mends: the job ends with Shopify's words. */
function permanent(error: unknown): unknown {
  if (error instanceof MissingHistoryScopeError) return new JobFailure(error.message);
  if (error instanceof ShopifyAdminError && ['http_401', 'http_402', 'http_403', 'http_404', 'ACCESS_DENIED'].includes(error.code)) return new JobFailure(error.message);
  return error;
}

/** Orders mapped between two calls of `yieldNow` (a thread's other work waits at most that long). */
const MAPPED_BETWEEN_YIELDS = 25;

/** A page's nodes mapped; each node is let go once mapped (the page's GraphQL objects are most of a thread's memory). */
async function mapPage(nodes: Array<OrderNode | null>, shop: string, yieldNow?: () => Promise<void>): Promise<{ orders: Order[]; failures: ResyncFailure[] }> {
  const orders: Order[] = [];
  const failures: ResyncFailure[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (yieldNow && i > 0 && i % MAPPED_BETWEEN_YIELDS === 0) await yieldNow();
    const node = nodes[i]!;
    nodes[i] = null;
    try {
      orders.push(mapShopifyGraphqlOrder(node, shop));
    } catch (error) {
      failures.push({ orderId: String(node.id).replace(/^gid:\/\/shopify\/Order\//, ''), error: (error as Error).message, body: JSON.stringify(node) });
    }
  }
  return { orders, failures };
}

export function shopifyResyncSource(opts: ShopifyResyncOptions = {}): ResyncSource {
  if (opts.apiBaseUrl) routeEveryShopifyShop(opts.apiBaseUrl);
  const admin = opts.admin ?? new ShopifyAdmin({ maxQueryCost: opts.maxQueryCost });
  const bulkAbove = opts.bulkAbove ?? 10_000;
  return {
    platform: 'shopify',
    async *pages(request: ResyncRequest): AsyncGenerator<ResyncPage> {
      const { accessToken } = JSON.parse(request.credentials) as { accessToken?: string };
      if (!accessToken) throw new JobFailure(`shop ${request.shop} has no Admin API access token`);
      const creds = { shop: request.shop, token: accessToken };
      const range = { from: new Date(request.range.from), to: new Date(Math.min(request.range.to, 8.64e15)), by: request.range.by };
      try {
        let cursor = request.cursor === null ? null : (JSON.parse(request.cursor) as Cursor);
        let total: number | null = null;
        if (cursor === null) {
          const counted = await countOrders(admin, creds, range, bulkAbove);
          total = counted.count;
          cursor = counted.atLeast || counted.count > bulkAbove ? { mode: 'bulk', operationId: '', line: 0, byte: 0 } : { mode: 'paged', after: null };
          if (counted.atLeast) total = null;
        }
        if (cursor.mode === 'paged') {
          const pages = admin.iterateOrders({ ...creds, ...range, after: cursor.after, maxPageSize: opts.pageSize ?? 250, checkHistory: cursor.after === null });
          for await (const page of pages) {
            const next: Cursor = { mode: 'paged', after: page.endCursor };
            yield { ...(await mapPage(page.orders, request.shop, request.yieldNow)), cursor: JSON.stringify(next), total, done: !page.hasNextPage };
          }
          return;
        }
        const resume = cursor.operationId ? { operationId: cursor.operationId, line: cursor.line, byte: cursor.byte } : null;
        let last: Cursor = cursor;
        const pages = admin.runBulkOrders({
          ...creds, ...range, resume, pageSize: opts.bulkPageSize ?? 100, pollMs: opts.bulkPollMs ?? 1_000, checkHistory: resume === null,
          onOperation: (op) => {
            total = Number(op.rootObjectCount) || total;
            if (last.mode === 'bulk' && last.operationId !== op.id) last = { mode: 'bulk', operationId: op.id, line: 0, byte: 0 };
          },
        });
        for await (const page of pages) {
          last = { mode: 'bulk', ...page.checkpoint };
          yield { ...(await mapPage(page.orders, request.shop, request.yieldNow)), cursor: JSON.stringify(last), total, done: false };
        }
        // The file read to its end: one last (empty) page ends the job.
        yield { orders: [], failures: [], cursor: JSON.stringify(last), total, done: true };
      } catch (error) {
        throw permanent(error);
      }
    },
  };
}
