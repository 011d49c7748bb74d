import type { AdminApi, ShopCredentials } from './types.ts';
import { BULK_ORDER_SHAPE, BULK_POLL_QUERY, BULK_RUN_MUTATION, bulkOrdersQuery } from './documents.ts';
import { joinBulkJsonl, type JsonlPosition } from './bulkJoin.ts';
import { ShopifyAdminError } from './errors.ts';
import { rangeSearch, type OrderNode, type OrderRange } from './orders.ts';
import { requireHistoryAccess } from './scopes.ts';

// A range of orders through a bulk operation: start it (or take up the one a checkpoint names), poll until it
// completes, then stream its JSONL — from the checkpoint's byte offset with a ranged download — joining each
// order with its child lines. Pages come with the checkpoint just after their last order.

export interface BulkCheckpoint extends JsonlPosition {
  operationId: string;
}

export interface BulkOperationInfo {
  id: string;
  status: string;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
}

export interface RunBulkOrdersOptions extends ShopCredentials, OrderRange {
  /** Take up this operation and read on from this position (a page's checkpoint). */
  resume?: BulkCheckpoint | null;
  /** Orders per page. */
  pageSize?: number;
  pollMs?: number;
  /** Told the operation when it starts (or is taken up) and when it completes: store its id to resume. */
  onOperation?: (op: BulkOperationInfo) => void;
  checkHistory?: boolean;
  now?: number;
  /** Downloads the result file (default: fetch). */
  fetch?: typeof fetch;
}

export interface BulkOrdersPage {
  orders: OrderNode[];
  checkpoint: BulkCheckpoint;
}

const FINISHED_BADLY = new Set(['FAILED', 'CANCELED', 'CANCELING', 'EXPIRED']);

async function poll(admin: AdminApi, creds: ShopCredentials, id: string): Promise<BulkOperationInfo | null> {
  const { data } = await admin.query<{ node: BulkOperationInfo | null }>(creds, BULK_POLL_QUERY, { id });
  return data.node && data.node.id ? data.node : null;
}

async function start(admin: AdminApi, creds: ShopCredentials, range: OrderRange): Promise<string> {
  const { search, sortKey } = rangeSearch(range);
  const { data } = await admin.query<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Array<{ field?: string[]; message: string; code?: string }> };
  }>(creds, BULK_RUN_MUTATION, { query: bulkOrdersQuery(search, sortKey) });
  const result = data.bulkOperationRunQuery;
  if (!result.bulkOperation) {
    const first = result.userErrors[0];
    throw new ShopifyAdminError(`Shopify refused the bulk query for ${creds.shop}: ${result.userErrors.map((e) => e.message).join('; ')}`, first?.code ?? 'bulk_refused');
  }
  return result.bulkOperation.id;
}

/** Pages of complete orders of a range, read from a bulk operation's file; resumable from any page's checkpoint. */
export async function* runBulkOrders(admin: AdminApi, opts: RunBulkOrdersOptions): AsyncGenerator<BulkOrdersPage> {
  const creds = { shop: opts.shop, token: opts.token };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let op = opts.resume ? await poll(admin, creds, opts.resume.operationId) : null;
  let from: JsonlPosition = op && opts.resume ? { line: opts.resume.line, byte: opts.resume.byte } : { line: 0, byte: 0 };
  if (!op || FINISHED_BADLY.has(op.status)) {
    // the operation is gone (results expire after a week) or went wrong: run the range again from its start
    if (opts.checkHistory !== false) await requireHistoryAccess(admin, { ...creds, from: opts.from, now: opts.now });
    op = await poll(admin, creds, await start(admin, creds, opts));
    from = { line: 0, byte: 0 };
  }
  if (!op) throw new ShopifyAdminError(`the bulk operation for ${creds.shop} vanished after it started`, 'bulk_failed');
  opts.onOperation?.(op);
  while (op.status === 'CREATED' || op.status === 'RUNNING') {
    await sleep(opts.pollMs ?? 1000);
    const next = await poll(admin, creds, op.id);
    if (!next) throw new ShopifyAdminError(`the bulk operation ${op.id} for ${creds.shop} vanished while running`, 'bulk_failed');
    op = next;
  }
  opts.onOperation?.(op);
  if (op.status !== 'COMPLETED') {
    throw new ShopifyAdminError(`the bulk operation ${op.id} for ${creds.shop} ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ''}`, 'bulk_failed');
  }
  if (!op.url) return; // no order in the range: Shopify writes no file

  const res = await (opts.fetch ?? fetch)(op.url, from.byte > 0 ? { headers: { range: `bytes=${from.byte}-` } } : {});
  if (res.status === 416) return; // the checkpoint is the end of the file
  if (!res.ok || !res.body) throw new ShopifyAdminError(`downloading the bulk result of ${op.id} failed: HTTP ${res.status}`, `http_${res.status}`);
  // a server that ignored the range sends the whole file: skip what was read before
  const skipBytes = from.byte > 0 && res.status !== 206 ? from.byte : 0;
  const source = chunksOf(res.body);
  let page: OrderNode[] = [];
  const size = opts.pageSize ?? 250;
  for await (const joined of joinBulkJsonl(source, BULK_ORDER_SHAPE, { from, skipBytes })) {
    page.push(joined.object as OrderNode);
    if (page.length >= size) {
      yield { orders: page, checkpoint: { operationId: op.id, ...joined.next } };
      page = [];
    }
    from = joined.next;
  }
  if (page.length > 0) yield { orders: page, checkpoint: { operationId: op.id, ...from } };
}

/** A body's chunks as they arrive, through Web streams (any runtime); a reader that stops early cancels the download. */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        ended = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
  }
}
