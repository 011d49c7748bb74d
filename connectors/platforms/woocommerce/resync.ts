import type { Order } from '../../../src/core/canonical/index.ts';
import { JobFailure } from '../../../src/core/jobs/jobRunner.ts';
import type { ResyncFailure, ResyncPage, ResyncRequest, ResyncSource } from '../../../src/core/resync/source.ts';
import { mapWooOrder } from '../../../mappings/platforms/woocommerce/index.ts';
import { toWooGmt, WooApiError, WooClient, type ListOrdersParams, type OrdersPage } from './client.ts';

// A WooCommerce shop's orders for a resync: REST v3 pages by id (orders created meanwhile land at the end), a few
// pages in flight at once, then the trash (deleted orders). 429 and 5xx are retried with back-off (Retry-After
// when given). The job's cursor is the phase and the next page.

export interface WooResyncOptions {
  /** Pages requested at once (default 4). */
  pagesInFlight?: number;
  /** Orders a page (1..100, default 100). */
  perPage?: number;
  /** Retries of a 429, 5xx or network failure before the step fails (the job retries it later). */
  maxRetries?: number;
  retryBaseMs?: number;
}

type Phase = 'orders' | 'trash';
interface Cursor { phase: Phase; page: number }

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    resolve();
  }, { once: true });
});

export function wooResyncSource(opts: WooResyncOptions = {}): ResyncSource {
  const inFlight = Math.max(1, opts.pagesInFlight ?? 4);
  const perPage = opts.perPage ?? 100;
  return {
    platform: 'woocommerce',
    async *pages(request: ResyncRequest): AsyncGenerator<ResyncPage> {
      const keys = JSON.parse(request.credentials) as { consumerKey?: string; consumerSecret?: string };
      const settings = JSON.parse(request.settings) as { url?: string; storeCurrency?: string };
      if (!keys.consumerKey || !keys.consumerSecret || !settings.url) throw new JobFailure(`shop ${request.shop} has no REST API keys`);
      const client = new WooClient({ url: settings.url, consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret });
      const modified = request.range.by === 'updated';
      const bounds: ListOrdersParams = {
        // `after` is exclusive, to the second: a second earlier makes `from` inclusive
        [modified ? 'modifiedAfter' : 'after']: toWooGmt(new Date(request.range.from), -1),
        ...(request.range.to < 8.64e15 ? { [modified ? 'modifiedBefore' : 'before']: toWooGmt(new Date(request.range.to)) } : {}),
      };
      const list = async (status: string, page: number): Promise<OrdersPage> => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await client.listOrders({ ...bounds, status, page, perPage, orderby: 'id', order: 'asc' });
          } catch (error) {
            if (!(error instanceof WooApiError) || !error.retryable || attempt >= (opts.maxRetries ?? 5) || request.signal.aborted) {
              if (error instanceof WooApiError && (error.status === 401 || error.status === 403)) throw new JobFailure(error.message);
              throw error;
            }
            await sleep(error.retryAfterMs ?? (opts.retryBaseMs ?? 500) * 2 ** attempt, request.signal);
          }
        }
      };
      /** A page's orders mapped; each is let go once mapped (a page is not held twice). */
      const mapPage = async (orders: unknown[]) => {
        const mapped: Order[] = [];
        const failures: ResyncFailure[] = [];
        for (let i = 0; i < orders.length; i++) {
          // a thread's other work (a webhook's translation) waits for a few orders at most
          if (request.yieldNow && i > 0 && i % 25 === 0) await request.yieldNow();
          const o = orders[i];
          orders[i] = null;
          try {
            mapped.push(mapWooOrder(o, request.shop, { storeCurrency: settings.storeCurrency }));
          } catch (error) {
            failures.push({ orderId: String((o as { id?: unknown })?.id), error: (error as Error).message, body: JSON.stringify(o) });
          }
        }
        return { orders: mapped, failures };
      };

      let cursor: Cursor = request.cursor === null ? { phase: 'orders', page: 1 } : (JSON.parse(request.cursor) as Cursor);
      let total: number | null = null;
      for (const phase of ['orders', 'trash'] as const) {
        if (phase === 'orders' && cursor.phase === 'trash') continue;
        const status = phase === 'orders' ? 'any' : 'trash';
        let page = cursor.phase === phase ? cursor.page : 1;
        // Pages come by ascending id: an order at or below the highest id handed over was handed over already (when
        // pages moved back). One number rather than a set of every id, so a million orders cost no more than a page.
        let handedUpTo = -Infinity;
        let lastTotal: number | null = null;
        // Pages asked for ahead of the one being handed over (each with its failure caught, so none goes unhandled).
        const ahead = new Map<number, Promise<OrdersPage>>();
        const ask = (p: number) => {
          if (ahead.has(p)) return;
          const pending = list(status, p);
          pending.catch(() => {});
          ahead.set(p, pending);
        };
        let totalPages = page; // until the first answer says how many there are
        for (;;) {
          for (let p = page; p < page + inFlight && p <= totalPages; p++) ask(p);
          const res = await ahead.get(page)!;
          ahead.delete(page);
          totalPages = res.totalPages;
          if (lastTotal !== null && res.total < lastTotal && page > 1) {
            // Orders left the list (trashed meanwhile): pages moved back; read again from earlier, skipping what was given.
            const back = Math.ceil((lastTotal - res.total) / perPage);
            lastTotal = res.total;
            ahead.clear();
            page = Math.max(1, page - back);
            continue;
          }
          lastTotal = res.total;
          if (phase === 'orders') total = res.total;
          const fresh = res.orders.filter((o) => {
            const id = Number((o as { id?: unknown }).id);
            if (!Number.isFinite(id)) return true; // not an id: the mapping says so, in quarantine
            if (id <= handedUpTo) return false;
            handedUpTo = id;
            return true;
          });
          const last = page >= res.totalPages || res.orders.length === 0;
          const next: Cursor = last ? { phase: 'trash', page: phase === 'orders' ? 1 : page + 1 } : { phase, page: page + 1 };
          yield { ...(await mapPage(fresh)), cursor: JSON.stringify(next), total, done: last && phase === 'trash' };
          if (last) break;
          page += 1;
        }
        cursor = { phase: 'trash', page: 1 };
      }
    },
  };
}
