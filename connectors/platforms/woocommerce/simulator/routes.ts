import { Hono, type Context } from 'hono';
import type { Faults } from '../../../simulator-kit/index.ts';
import type { ApiKey, WooAuth as WooAuthType } from './auth.ts';
import { WooAuth } from './auth.ts';
import type { SimOrder, SimOrderBook } from './orders.ts';
import { isValidTopic, type SimWebhooks, type WebhookStatus } from './webhooks.ts';
import { invalidParam, parseWpBoolean, parseWpDate, phpJson, WpError } from './wp.ts';

// The WooCommerce REST v3 routes the connector uses, answering as WordPress does.

export interface RouteDeps {
  auth: WooAuthType;
  faults: Faults;
  book: SimOrderBook;
  hooks: SimWebhooks;
  siteOffsetMinutes: number;
  statuses: () => ReadonlySet<string>;
  /** Called after a webhook is created, before the answer (WooCommerce pings inside the request). */
  onWebhookCreated(id: number): Promise<void>;
}

const ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'];
const NO_CREDENTIALS: Record<string, [string, string]> = {
  list: ['woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'],
  view: ['woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.'],
  create: ['woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.'],
  edit: ['woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.'],
  delete: ['woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.'],
};

function wpJson(c: Context, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(phpJson(body), { status, headers: { 'content-type': 'application/json; charset=UTF-8', ...headers } });
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidParam(name, max === Number.MAX_SAFE_INTEGER ? `${name} must be greater than or equal to ${min}` : `${name} must be between ${min} (inclusive) and ${max} (inclusive)`);
  }
  return n;
}

/** X-WP-Total, X-WP-TotalPages and the Link header, paging params kept, credentials dropped. */
function paginate<T>(url: URL, rows: T[], page: number, perPage: number): { slice: T[]; headers: Record<string, string> } {
  const total = rows.length;
  const totalPages = Math.ceil(total / perPage);
  const headers: Record<string, string> = { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(totalPages) };
  const link = (p: number) => {
    const u = new URL(url);
    for (const k of [...u.searchParams.keys()]) if (k.startsWith('oauth_') || k.startsWith('consumer_')) u.searchParams.delete(k);
    u.searchParams.set('page', String(p));
    return u.toString();
  };
  const links: string[] = [];
  if (page > 1 && totalPages > 0) links.push(`<${link(Math.min(page - 1, totalPages))}>; rel="prev"`);
  if (page < totalPages) links.push(`<${link(page + 1)}>; rel="next"`);
  if (links.length > 0) headers.Link = links.join(', ');
  return { slice: rows.slice((page - 1) * perPage, page * perPage), headers };
}

export function buildRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => (err instanceof WpError ? wpJson(c, err.body(), err.status) : wpJson(c, { code: 'internal_server_error', message: err.message, data: { status: 500 } }, 500)));
  app.use('/wp-json/*', deps.faults.middleware());

  const authorize = (c: Context, action: keyof typeof NO_CREDENTIALS): ApiKey => {
    const key = deps.auth.authenticate({ method: c.req.method, url: new URL(c.req.url), header: (n) => c.req.header(n) });
    if (!key) {
      const [code, message] = NO_CREDENTIALS[action]!;
      throw new WpError(401, code, message);
    }
    WooAuth.assertPermission(key, c.req.method);
    return key;
  };

  const base = '/wp-json/wc/v3';

  let listed: { key: string; rows: SimOrder[] } | null = null;
  app.get(`${base}/orders`, (c) => {
    authorize(c, 'list');
    const url = new URL(c.req.url);
    const q = url.searchParams;
    const perPage = intParam(q, 'per_page', 10, 1, 100);
    const page = intParam(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const gmt = parseWpBoolean(q.get('dates_are_gmt') ?? undefined);
    if (gmt === null) throw invalidParam('dates_are_gmt', 'dates_are_gmt is not of type boolean.');
    const orderby = q.get('orderby') ?? 'date';
    if (!ORDERBY.includes(orderby)) throw invalidParam('orderby', `orderby is not one of ${ORDERBY.join(', ')}.`);
    const order = q.get('order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw invalidParam('order', 'order is not one of asc and desc.');

    const bounds: Array<[string, (o: SimOrder) => number, 'after' | 'before']> = [
      ['after', (o) => o.createdMs, 'after'], ['before', (o) => o.createdMs, 'before'],
      ['modified_after', (o) => o.modifiedMs, 'after'], ['modified_before', (o) => o.modifiedMs, 'before'],
    ];
    const filters: Array<(o: SimOrder) => boolean> = [];
    for (const [name, field, side] of bounds) {
      const raw = q.get(name);
      if (raw === null) continue;
      const at = parseWpDate(raw, gmt === true, deps.siteOffsetMinutes);
      if (at === null) throw invalidParam(name, 'Invalid date.');
      const second = (ms: number) => Math.floor(ms / 1000); // WP_Date_Query compares whole seconds, exclusive
      filters.push(side === 'after' ? (o) => second(field(o)) > second(at) : (o) => second(field(o)) < second(at));
    }

    const statusParam = (q.get('status') ?? 'any').split(',').map((s) => s.trim()).filter(Boolean);
    for (const s of statusParam) {
      if (s !== 'any' && !deps.statuses().has(s)) throw invalidParam('status', `status[0] is not one of any, ${[...deps.statuses()].join(', ')}.`);
    }
    // "any" is every status shown in lists: trash is excluded, as WordPress does
    filters.push(statusParam.includes('any') ? (o) => o.status !== 'trash' : (o) => statusParam.includes(o.status));

    const key = orderby === 'date' ? (o: SimOrder) => o.createdMs : orderby === 'modified' ? (o: SimOrder) => o.modifiedMs : () => 0;
    const dir = order === 'asc' ? 1 : -1;
    // The list as sorted for this query at this revision of the book, kept for its next pages: a shop of a million
    // orders is paged in O(page), not filtered and sorted again for every page.
    const query = new URLSearchParams(q);
    for (const k of [...query.keys()]) if (k === 'page' || k.startsWith('oauth_') || k.startsWith('consumer_')) query.delete(k);
    query.sort();
    const listKey = `${deps.book.revision}|${query.toString()}`;
    if (listed?.key !== listKey) {
      listed = {
        key: listKey,
        rows: [...deps.book.orders.values()]
          .filter((o) => filters.every((f) => f(o)))
          .sort((a, b) => dir * (Math.floor(key(a) / 1000) - Math.floor(key(b) / 1000) || a.id - b.id)),
      };
    }
    const rows = listed.rows;
    const { slice, headers } = paginate(url, rows, page, perPage);
    return wpJson(c, slice.map((o) => deps.book.render(o)), 200, headers);
  });

  app.get(`${base}/orders/:id`, (c) => {
    authorize(c, 'view');
    const order = deps.book.orders.get(Number(c.req.param('id')));
    if (!order) throw new WpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    return wpJson(c, deps.book.render(order));
  });

  app.get(`${base}/webhooks`, (c) => {
    authorize(c, 'list');
    const url = new URL(c.req.url);
    const q = url.searchParams;
    const perPage = intParam(q, 'per_page', 10, 1, 100);
    const page = intParam(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const status = q.get('status') ?? 'all';
    if (!['all', 'active', 'paused', 'disabled'].includes(status)) throw invalidParam('status', 'status is not one of all, active, paused, and disabled.');
    const rows = [...deps.hooks.hooks.values()].filter((h) => status === 'all' || h.status === status).sort((a, b) => b.id - a.id);
    const { slice, headers } = paginate(url, rows, page, perPage);
    return wpJson(c, slice.map((h) => deps.hooks.render(h)), 200, headers);
  });

  app.post(`${base}/webhooks`, async (c) => {
    authorize(c, 'create');
    const body = await readJsonBody(c);
    const missing = ['topic', 'delivery_url'].filter((k) => body[k] === undefined || body[k] === '');
    if (missing.length > 0) throw new WpError(400, 'rest_missing_callback_param', `Missing parameter(s): ${missing.join(', ')}`, { params: missing });
    const topic = String(body.topic);
    if (!isValidTopic(topic)) throw new WpError(400, 'woocommerce_rest_webhook_invalid_topic', 'Webhook topic is required and must be valid.');
    const deliveryUrl = String(body.delivery_url);
    if (!/^https?:\/\/[^\s/]+/i.test(deliveryUrl)) {
      throw new WpError(400, 'woocommerce_rest_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.');
    }
    const status = readStatus(body.status) ?? 'active';
    const secret = typeof body.secret === 'string' && body.secret !== '' ? body.secret : randomSecret();
    const hook = deps.hooks.create({ topic, deliveryUrl, secret, status, name: typeof body.name === 'string' ? body.name : undefined });
    await deps.onWebhookCreated(hook.id);
    return wpJson(c, deps.hooks.render(hook), 201, { Location: `/wp-json/wc/v3/webhooks/${hook.id}` });
  });

  const findHook = (c: Context) => {
    const hook = deps.hooks.hooks.get(Number(c.req.param('id')));
    if (!hook) throw new WpError(404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
    return hook;
  };

  app.get(`${base}/webhooks/:id`, (c) => {
    authorize(c, 'view');
    return wpJson(c, deps.hooks.render(findHook(c)));
  });

  app.put(`${base}/webhooks/:id`, async (c) => {
    authorize(c, 'edit');
    const hook = findHook(c);
    const body = await readJsonBody(c);
    const status = readStatus(body.status);
    if (status) deps.hooks.setStatus(hook, status);
    if (typeof body.secret === 'string' && body.secret !== '') hook.secret = body.secret;
    if (typeof body.name === 'string') hook.name = body.name;
    return wpJson(c, deps.hooks.render(hook));
  });

  app.delete(`${base}/webhooks/:id`, (c) => {
    authorize(c, 'delete');
    const hook = findHook(c);
    if (parseWpBoolean(c.req.query('force')) !== true) {
      throw new WpError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
    }
    const rendered = deps.hooks.render(hook);
    deps.hooks.hooks.delete(hook.id);
    return wpJson(c, rendered);
  });

  app.all('/wp-json/*', () => {
    throw new WpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  });
  return app;
}

async function readJsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new WpError(400, 'rest_invalid_json', 'Invalid JSON body passed.');
}

function readStatus(value: unknown): WebhookStatus | undefined {
  if (value === undefined) return undefined;
  if (value === 'active' || value === 'paused' || value === 'disabled') return value;
  throw invalidParam('status', 'status is not one of active, paused, and disabled.');
}

/** WooCommerce's default secret when none is given: wp_generate_password(50, true, true). */
function randomSecret(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_ []{}<>~`+=,.;:/?|';
  const bytes = crypto.getRandomValues(new Uint8Array(50));
  return [...bytes].map((b) => chars[b % chars.length]).join('');
}
