import WooCommerceRestApiModule from '@woocommerce/woocommerce-rest-api';
import { parseJsonLossless, toUtcIso, type JsonValue } from '../../../src/core/canonical/index.ts';

// REST v3 client for resync and webhook setup, on the official library (OAuth 1.0a over http, Basic over https).

type RestApi = {
  get(endpoint: string, params?: Record<string, unknown>): Promise<AxiosLike>;
  post(endpoint: string, data: unknown, params?: Record<string, unknown>): Promise<AxiosLike>;
  delete(endpoint: string, params?: Record<string, unknown>): Promise<AxiosLike>;
};
interface AxiosLike { status: number; data: unknown; headers: Record<string, unknown> }
export type RestApiCtor = new (opts: Record<string, unknown>) => RestApi;
// the package is CommonJS with `exports.default`; under Node ESM the class sits on `.default`
const WooCommerceRestApi = ((WooCommerceRestApiModule as unknown as { default?: RestApiCtor }).default ??
  (WooCommerceRestApiModule as unknown as RestApiCtor));

export interface WooClientOptions {
  /** Site URL, e.g. https://shop.example.com */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  timeoutMs?: number;
  /** HTTPS only: keys in the query instead of Basic auth (for hosts that strip Authorization). */
  queryStringAuth?: boolean;
  /** The REST API class (default: the npm client's; fetchRestApi.ts is the same over fetch, which the Worker bundles). */
  RestApi?: RestApiCtor;
}

export class WooApiError extends Error {
  override readonly name = 'WooApiError';
  constructor(
    readonly status: number | null,
    readonly code: string | null,
    message: string,
    /** From Retry-After on 429/503, when given. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  /** 429, 5xx and network failures are worth retrying; other 4xx are not. */
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

export type DateInput = Date | string;

export interface ListOrdersParams {
  /** Created strictly after / before (WordPress date queries are exclusive, to the second). */
  after?: DateInput;
  before?: DateInput;
  modifiedAfter?: DateInput;
  modifiedBefore?: DateInput;
  /** Always true: dates are converted to UTC and WooCommerce is told so (the default would be site time). */
  datesAreGmt?: true;
  page?: number;
  /** 1..100; default 100. */
  perPage?: number;
  /** 'any' (default) excludes trash; ask for 'trash' separately. */
  status?: string | string[];
  orderby?: 'date' | 'id' | 'modified' | 'include' | 'title' | 'slug';
  order?: 'asc' | 'desc';
}

export interface OrdersPage {
  orders: JsonValue[];
  total: number;
  totalPages: number;
}

export interface OrderRange {
  /** Which timestamp the range is on. */
  field?: 'created' | 'modified';
  /** Inclusive. */
  from?: DateInput;
  /** Exclusive. */
  to?: DateInput;
  status?: string | string[];
  perPage?: number;
  /** Resume from a checkpointed page. */
  startPage?: number;
}

export interface OrderRangePage extends OrdersPage {
  page: number;
  /** Page to resume from after this one has been handled; null when done. */
  nextPage: number | null;
}

export interface WooWebhookInfo {
  id: number;
  name: string;
  status: string;
  topic: string;
  deliveryUrl: string;
}

/** "YYYY-MM-DDTHH:mm:ss" in UTC, sent with dates_are_gmt=true. */
export function toWooGmt(value: DateInput, shiftSeconds = 0): string {
  const iso = value instanceof Date ? value.toISOString() : toUtcIso(value);
  if (iso === null || Number.isNaN(Date.parse(iso))) throw new RangeError(`not a date: ${String(value)}`);
  return new Date(Date.parse(iso) + shiftSeconds * 1000).toISOString().slice(0, 19);
}

const header = (h: Record<string, unknown>, name: string): string | null => {
  const v = h[name.toLowerCase()];
  return v === undefined || v === null ? null : String(v);
};

export class WooClient {
  private readonly api: RestApi;

  constructor(opts: WooClientOptions) {
    this.api = new (opts.RestApi ?? WooCommerceRestApi)({
      url: opts.url,
      consumerKey: opts.consumerKey,
      consumerSecret: opts.consumerSecret,
      version: 'wc/v3',
      queryStringAuth: opts.queryStringAuth ?? false,
      timeout: opts.timeoutMs ?? 30_000,
      // raw text so big integers survive (parseJsonLossless), and every status reaches us to classify
      axiosConfig: { responseType: 'text', transformResponse: [(d: unknown) => d], validateStatus: () => true },
    });
  }

  private async call(run: () => Promise<AxiosLike>): Promise<{ body: JsonValue; headers: Record<string, unknown> }> {
    let res: AxiosLike;
    try {
      res = await run();
    } catch (err) {
      throw new WooApiError(null, null, `WooCommerce request failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    let body: JsonValue = null;
    const text = typeof res.data === 'string' ? res.data : '';
    try {
      body = text === '' ? null : parseJsonLossless(text);
    } catch {
      if (res.status < 400) throw new WooApiError(res.status, null, 'WooCommerce answered with something that is not JSON');
    }
    if (res.status >= 400) {
      const err = (body ?? {}) as { code?: unknown; message?: unknown };
      const retryAfterText = header(res.headers, 'retry-after');
      const retryAfter = retryAfterText === null ? NaN : Number(retryAfterText);
      throw new WooApiError(
        res.status,
        typeof err.code === 'string' ? err.code : null,
        `WooCommerce ${res.status}: ${typeof err.message === 'string' ? err.message : text.slice(0, 200)}`,
        Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null,
      );
    }
    return { body, headers: res.headers };
  }

  async listOrders(p: ListOrdersParams = {}): Promise<OrdersPage> {
    const params: Record<string, unknown> = {
      dates_are_gmt: true,
      page: p.page ?? 1,
      per_page: p.perPage ?? 100,
      status: Array.isArray(p.status) ? p.status.join(',') : p.status ?? 'any',
    };
    if (p.after !== undefined) params.after = toWooGmt(p.after);
    if (p.before !== undefined) params.before = toWooGmt(p.before);
    if (p.modifiedAfter !== undefined) params.modified_after = toWooGmt(p.modifiedAfter);
    if (p.modifiedBefore !== undefined) params.modified_before = toWooGmt(p.modifiedBefore);
    if (p.orderby) params.orderby = p.orderby;
    if (p.order) params.order = p.order;
    const { body, headers } = await this.call(() => this.api.get('orders', params));
    if (!Array.isArray(body)) throw new WooApiError(200, null, 'orders list is not an array');
    return {
      orders: body,
      total: Number(header(headers, 'x-wp-total') ?? body.length),
      totalPages: Number(header(headers, 'x-wp-totalpages') ?? 1),
    };
  }

  async getOrder(id: number | string): Promise<JsonValue> {
    return (await this.call(() => this.api.get(`orders/${id}`))).body;
  }

  /**
   * Every order of a date range, one page at a time (checkpoint `nextPage`). Ordered by id so orders
   * created meanwhile land at the end; when the total shrinks (orders left the range) it steps back
   * and skips ids it already gave, so nothing is missed.
   */
  async *iterateOrders(range: OrderRange = {}): AsyncGenerator<OrderRangePage> {
    const perPage = range.perPage ?? 100;
    const modified = range.field === 'modified';
    const bounds: ListOrdersParams = {};
    // `after` is exclusive: one second earlier makes `from` inclusive
    if (range.from !== undefined) bounds[modified ? 'modifiedAfter' : 'after'] = toWooGmt(range.from, -1);
    if (range.to !== undefined) bounds[modified ? 'modifiedBefore' : 'before'] = toWooGmt(range.to);
    const seen = new Set<string>();
    let page = range.startPage ?? 1;
    let lastTotal: number | null = null;
    for (;;) {
      const res = await this.listOrders({ ...bounds, status: range.status, page, perPage, orderby: 'id', order: 'asc' });
      if (lastTotal !== null && res.total < lastTotal && page > 1) {
        const back = Math.ceil((lastTotal - res.total) / perPage);
        lastTotal = res.total;
        page = Math.max(1, page - back);
        continue;
      }
      lastTotal = res.total;
      const fresh = res.orders.filter((o) => {
        const id = String((o as { id?: unknown }).id);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      const done = page >= res.totalPages || res.orders.length === 0;
      yield { ...res, orders: fresh, page, nextPage: done ? null : page + 1 };
      if (done) return;
      page += 1;
    }
  }

  async createWebhook(w: { topic: string; deliveryUrl: string; secret: string; name?: string }): Promise<WooWebhookInfo> {
    const { body } = await this.call(() =>
      this.api.post('webhooks', { name: w.name ?? `orderbridge ${w.topic}`, topic: w.topic, delivery_url: w.deliveryUrl, secret: w.secret, status: 'active' }),
    );
    return readWebhook(body);
  }

  async listWebhooks(): Promise<WooWebhookInfo[]> {
    const all: WooWebhookInfo[] = [];
    for (let page = 1; ; page++) {
      const { body, headers } = await this.call(() => this.api.get('webhooks', { page, per_page: 100 }));
      if (!Array.isArray(body)) throw new WooApiError(200, null, 'webhooks list is not an array');
      all.push(...body.map(readWebhook));
      if (page >= Number(header(headers, 'x-wp-totalpages') ?? 1)) return all;
    }
  }

  async deleteWebhook(id: number): Promise<void> {
    await this.call(() => this.api.delete(`webhooks/${id}`, { force: true }));
  }
}

function readWebhook(body: JsonValue): WooWebhookInfo {
  const w = (body ?? {}) as Record<string, unknown>;
  if (typeof w.id !== 'number' || typeof w.topic !== 'string') throw new WooApiError(200, null, 'not a webhook');
  return { id: w.id, name: String(w.name ?? ''), status: String(w.status ?? ''), topic: w.topic, deliveryUrl: String(w.delivery_url ?? '') };
}

export { generateWebhookSecret } from './webhook.ts';
