// The admin API described (OpenAPI 3.1), from the same zod schemas the routes validate their input with: a field
// added to a schema shows here without a second description to keep in step. test/openapi.test.ts holds every
// /api route of the app to this list.
import { Hono } from 'hono';
import { z } from 'zod';
import { JobPage } from './jobsRoutes.ts';
import { ListQuery } from './ordersRoutes.ts';
import { PageQuery, QuarantinePage, ReplayAllBody } from './queueRoutes.ts';
import { ResyncInput, ResyncList } from './resyncRoutes.ts';
import { BackfillInput, ConnectWoo, DestinationInput, ShopPage } from './shopsRoutes.ts';
import { ConnectShopify } from '../install/shopifyCustomApp.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Operation {
  method: Method;
  /** OpenAPI style: `{shop}`, not Hono's `:shop`. */
  path: string;
  tag: string;
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Answers besides 401 (every operation but the description itself may answer it), by status. */
  answers: Record<number, string>;
  /** No bearer token needed. */
  open?: boolean;
}

const SHOP = { name: 'shop', description: 'the shop id, e.g. shopify:demo.myshopify.com or woocommerce:shop.example' };
const PATH_PARAMETERS: Record<string, string> = {
  shop: SHOP.description,
  id: 'the destination id (within its shop), job or resync id, or dead letter id',
  key: 'the order key, e.g. shopify:demo.myshopify.com:820982911946154508',
};

/** Every /api operation. A new route adds its line here (the test names one that is missing). */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/api/openapi.json', tag: 'about', summary: 'This description (OpenAPI 3.1)', answers: { 200: 'the document' }, open: true },
  { method: 'get', path: '/api/docs', tag: 'about', summary: 'This description as a page to read', answers: { 200: 'HTML' }, open: true },
  { method: 'get', path: '/api/stores', tag: 'shops', summary: 'The order stores a destination can be, with each one\'s settings as JSON Schema', answers: { 200: 'the catalogue' } },
  { method: 'get', path: '/api/shops', tag: 'shops', summary: 'Shops, a page at a time', query: ShopPage, answers: { 200: 'a page of shops', 400: 'invalid_query' } },
  {
    method: 'post', path: '/api/shops', tag: 'shops',
    summary: 'Connect a WooCommerce shop (registers its webhooks with its REST keys), or a Shopify shop with a custom app\'s token (checked, then its webhooks subscribed)',
    body: z.union([ConnectWoo, ConnectShopify]),
    answers: { 201: 'the shop and its webhooks', 400: 'invalid_json, invalid_body, no_delivery_url, token_refused, wrong_shop', 502: 'woocommerce_unreachable, shopify_unreachable, webhooks_not_registered' },
  },
  { method: 'get', path: '/api/shops/{shop}', tag: 'shops', summary: 'One shop', answers: { 200: 'the shop', 404: 'not_found' } },
  { method: 'delete', path: '/api/shops/{shop}', tag: 'shops', summary: 'Forget a shop and everything held for it (the webhooks orderbridge registered on it deleted first)', answers: { 200: 'removed', 404: 'not_found' } },
  { method: 'get', path: '/api/shops/{shop}/destinations', tag: 'destinations', summary: 'A shop\'s destinations with their queues', answers: { 200: 'the destinations', 404: 'not_found' } },
  { method: 'post', path: '/api/shops/{shop}/destinations', tag: 'destinations', summary: 'Add or change a destination (settings checked against the store\'s schema; the secret sealed, never returned)', body: DestinationInput, answers: { 201: 'the destination', 400: 'invalid_json, invalid_body, unknown_store, invalid_settings, missing_secret', 404: 'not_found', 409: 'configured_by_environment' } },
  { method: 'delete', path: '/api/shops/{shop}/destinations/{id}', tag: 'destinations', summary: 'Remove a destination and its queue', answers: { 200: 'removed', 404: 'not_found', 409: 'configured_by_environment' } },
  { method: 'post', path: '/api/shops/{shop}/destinations/{id}/backfill', tag: 'destinations', summary: 'Send the orders held (created in a range) to a destination again, as history: a job', body: BackfillInput, answers: { 202: 'the job (Location: /api/jobs/{id})', 400: 'invalid_json, invalid_body', 404: 'not_found' } },
  { method: 'post', path: '/api/shops/{shop}/resync', tag: 'resync', summary: 'Read the shop\'s orders of a date range again from its platform and send them through the pipeline, as history: a job', body: ResyncInput, answers: { 202: 'the resync (Location: /api/resync/{id})', 400: 'invalid_json, invalid_body', 404: 'not_found', 409: 'no_credentials, resync_overlaps' } },
  { method: 'get', path: '/api/resync', tag: 'resync', summary: 'Resyncs (and reconciliation passes), newest first', query: ResyncList, answers: { 200: 'a page of resyncs', 400: 'invalid_query' } },
  { method: 'get', path: '/api/resync/{id}', tag: 'resync', summary: 'One resync: state, range, pages, orders seen / queued / unchanged / failed, rate, ETA, last error', answers: { 200: 'the resync', 404: 'not_found' } },
  { method: 'delete', path: '/api/resync/{id}', tag: 'resync', summary: 'Cancel a resync (what it queued stays queued)', answers: { 200: 'the resync, cancelled', 404: 'not_found', 409: 'job_finished' } },
  { method: 'get', path: '/api/orders', tag: 'orders', summary: 'Orders in the embedded local store, by last change, a page at a time', query: ListQuery, answers: { 200: 'a page of orders', 400: 'invalid_query' } },
  { method: 'get', path: '/api/orders/{key}', tag: 'orders', summary: 'One order in the local store', answers: { 200: 'the order', 404: 'not_found' } },
  { method: 'get', path: '/api/orders/{key}/events', tag: 'orders', summary: 'The lifecycle events the local store received for an order', answers: { 200: 'the events' } },
  { method: 'get', path: '/api/jobs', tag: 'jobs', summary: 'Jobs (backfills), newest first', query: JobPage, answers: { 200: 'a page of jobs', 400: 'invalid_query' } },
  { method: 'get', path: '/api/jobs/{id}', tag: 'jobs', summary: 'One job and its progress', answers: { 200: 'the job', 404: 'not_found' } },
  { method: 'delete', path: '/api/jobs/{id}', tag: 'jobs', summary: 'Cancel a job (what it queued stays queued)', answers: { 200: 'the job, cancelled', 404: 'not_found', 409: 'job_finished' } },
  { method: 'get', path: '/api/outbox', tag: 'queues', summary: 'Rows waiting for delivery', query: PageQuery, answers: { 200: 'a page of rows', 400: 'invalid_query' } },
  { method: 'get', path: '/api/dead-letters', tag: 'queues', summary: 'What a store refused, with the store\'s words', query: PageQuery, answers: { 200: 'a page of letters', 400: 'invalid_query' } },
  { method: 'post', path: '/api/dead-letters/replay', tag: 'queues', summary: 'Replay every letter not replayed yet (or one destination\'s) with the newest version', body: ReplayAllBody, answers: { 200: 'how many were queued again', 400: 'invalid_json, invalid_body' } },
  { method: 'post', path: '/api/dead-letters/{id}/replay', tag: 'queues', summary: 'Replay one letter with the newest version', answers: { 200: 'queued again', 400: 'invalid_id', 404: 'not_found', 409: 'already_replayed, destination_removed' } },
  { method: 'get', path: '/api/quarantine', tag: 'queues', summary: 'Webhooks that were signed but could not be read, with the error and the payload', query: QuarantinePage, answers: { 200: 'a page of payloads', 400: 'invalid_query' } },
];

const Problem = {
  type: 'object', required: ['error', 'message'],
  properties: { error: { type: 'string', description: 'a machine code (docs/api.md lists them)' }, message: { type: 'string', description: 'a sentence for a person' } },
};

/** JSON Schema 2020-12, OpenAPI 3.1's own dialect (so no `$schema` on each). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

function parameters(op: Operation): unknown[] {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, description: PATH_PARAMETERS[m[1]!], schema: { type: 'string' } }));
  if (!op.query) return inPath;
  const { properties = {}, required = [] } = jsonSchema(op.query) as { properties?: Record<string, object>; required?: string[] };
  const inQuery = Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.includes(name) && !('default' in schema), schema }));
  return [...inPath, ...inQuery];
}

/** The OpenAPI 3.1 document of the admin API. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {};
    for (const [status, what] of Object.entries(op.answers)) {
      const ok = Number(status) < 400;
      responses[status] = ok ? { description: what } : { description: what, content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    if (!op.open) responses['401'] = { description: 'admin_token_unset, unauthorized', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    (paths[op.path] ??= {})[op.method] = {
      tags: [op.tag], summary: op.summary, operationId: `${op.method}${op.path.replace(/[^a-zA-Z0-9]+(\w)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: parameters(op),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses,
      ...(op.open ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'orderbridge admin API', version, description: 'Shops, destinations, queues, orders and jobs of one orderbridge. Bearer ADMIN_TOKEN.' },
    servers: [{ url: '/' }],
    security: [{ adminToken: [] }],
    components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } }, schemas: { Problem } },
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
  };
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The same document as a plain page (no script, nothing fetched from elsewhere). */
function docsPage(doc: Record<string, unknown>): string {
  const rows = OPERATIONS.map((op) => {
    const body = op.body ? `<details><summary>body</summary><pre>${escape(JSON.stringify(jsonSchema(op.body), null, 2))}</pre></details>` : '';
    const query = op.query ? `<details><summary>query</summary><pre>${escape(JSON.stringify(parameters(op).filter((p) => (p as { in: string }).in === 'query'), null, 2))}</pre></details>` : '';
    const answers = Object.entries(op.answers).map(([s, w]) => `${s} ${escape(w)}`).join('; ');
    return `<tr><td><code>${op.method.toUpperCase()}</code></td><td><code>${escape(op.path)}</code></td><td>${escape(op.summary)}${query}${body}</td><td>${answers}${op.open ? '' : '; 401'}</td></tr>`;
  }).join('\n');
  const info = doc.info as { title: string; version: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)}</title><style>body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;max-width:75rem}table{border-collapse:collapse;width:100%}
td{border-top:1px solid #ddd;padding:.4rem;vertical-align:top}pre{font-size:12px;overflow:auto;background:#f6f6f6;padding:.5rem}</style></head>
<body><h1>${escape(info.title)} ${escape(info.version)}</h1><p>Send <code>Authorization: Bearer $ADMIN_TOKEN</code>. Errors are JSON
<code>{"error", "message"}</code>. The same as OpenAPI 3.1: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<table><thead><tr><th>method</th><th>path</th><th>what</th><th>answers</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

/** `GET /api/openapi.json` and `GET /api/docs`, open without the token (they hold nothing of a shop). */
export function openApiRoutes(version: string): Hono {
  const r = new Hono();
  let document: Record<string, unknown> | undefined;
  const doc = () => (document ??= openApiDocument(version));
  r.get('/openapi.json', (c) => c.json(doc()));
  r.get('/docs', (c) => c.html(docsPage(doc())));
  return r;
}
