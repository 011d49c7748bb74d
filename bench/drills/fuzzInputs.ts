// Hostile HTTP requests for the fuzz drill, generated with fast-check: wrong types, huge strings, deep nesting, bad unicode,
// bad dates, negative quantities, prototype-pollution keys, truncated bodies, wrong content types, path tricks.
import fc from 'fast-check';
import { shopifyDocsOrderBody } from '../../test/support/fixtures.ts';

export type Caller = 'shopify-signed' | 'shopify-unsigned' | 'shopify-bad-signature' | 'woocommerce-unsigned' | 'admin' | 'admin-no-token';

export interface FuzzRequest {
  caller: Caller;
  method: string;
  path: string;
  contentType: string | null;
  /** Text, or raw bytes (invalid UTF-8 among them). */
  body: string | Uint8Array | null;
  topic: string;
}

const fixture = JSON.parse(shopifyDocsOrderBody()) as Record<string, unknown>;

const hugeString = fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n));
const badUnicode = fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\u0000', '\uffff', '\u202e', '\ufeff', '𝕏'.repeat(1000));
const badDate = fc.constantFrom('2026-13-45T99:99:99Z', 'yesterday', '', '0000-00-00', '+275760-09-13T00:00:00.001Z', '1970-01-01T00:00:00', '2026-02-30', 'NaN');
const badNumber = fc.constantFrom(-1, -1e308, 1e308, -0, 2 ** 53 + 1, 0.1 + 0.2, -999_999_999);
/** A value of the wrong kind for almost any field. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hugeString, badUnicode, badDate, badNumber, fc.constant(null), fc.constant(true), fc.constant([]), fc.constant({}),
  fc.jsonValue({ maxDepth: 4 }), fc.string(), fc.integer(),
);
const FIELDS = ['id', 'updated_at', 'created_at', 'line_items', 'total_price', 'currency', 'customer', 'email', 'name', 'financial_status',
  'shipping_address', 'billing_address', 'refunds', 'discount_codes', 'note_attributes', 'admin_graphql_api_id', 'tax_lines', 'cancelled_at'];
const LINE_FIELDS = ['quantity', 'price', 'id', 'product_id', 'title', 'sku', 'tax_lines', 'discount_allocations'];

/** The documented order with one field (or one line's field) made hostile. */
const mutatedOrder = fc.tuple(fc.constantFrom(...FIELDS, ...LINE_FIELDS.map((f) => `line_items.0.${f}`)), hostileValue).map(([path, value]) => {
  const order = structuredClone(fixture);
  const [head, , leaf] = path.split('.');
  if (leaf) {
    const lines = order.line_items as Array<Record<string, unknown>> | undefined;
    if (lines?.[0]) lines[0][leaf] = value;
  } else order[head!] = value;
  return JSON.stringify(order) ?? 'null';
});
/** Keys that pollute a prototype when merged carelessly, at the top and inside a line. */
const pollution = fc.constantFrom(
  shopifyDocsOrderBody().replace('{', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},'),
  shopifyDocsOrderBody().replace('"line_items": [', '"line_items": [{"__proto__":{"polluted":"yes"}},'),
  '{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}', '[{"__proto__":null}]',
);
const deepNesting = fc.integer({ min: 1_000, max: 100_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const truncated = fc.integer({ min: 0, max: shopifyDocsOrderBody().length - 1 }).map((n) => shopifyDocsOrderBody().slice(0, n));
const rawBytes = fc.uint8Array({ minLength: 0, maxLength: 4_096 }).map((b) => Uint8Array.from([0xff, 0xfe, 0xc3, ...b]));

const body: fc.Arbitrary<string | Uint8Array | null> = fc.oneof(
  { weight: 4, arbitrary: mutatedOrder }, { weight: 2, arbitrary: pollution }, { weight: 1, arbitrary: deepNesting },
  { weight: 2, arbitrary: truncated }, { weight: 1, arbitrary: rawBytes }, { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? '') },
  { weight: 1, arbitrary: hugeString.map((s) => JSON.stringify({ note: s })) }, { weight: 1, arbitrary: fc.constant(null) },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '') },
  { weight: 1, arbitrary: fc.constant(null) },
);

const ADMIN_PATHS = [
  '/api/shops', '/api/shops/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/api/shops/..%2F..%2F', '/api/shops/a%00b/destinations', '/api/orders?limit=-1',
  '/api/orders?limit=abc&cursor=%ff%fe', '/api/orders/%00', '/api/dead-letters?limit=1e309', '/api/dead-letters/replay', '/api/dead-letters/-1/replay',
  '/api/dead-letters/99999999999999999999/replay', '/api/outbox?destination=%27%20OR%201%3D1--', '/api/jobs/..%2f', '/api/shops/shopify:x.myshopify.com/destinations',
  '/api/shops/shopify:x.myshopify.com/destinations/x/backfill', '/api/orders/shopify%3Ax%3A1/events', '/api/quarantine?limit=0', '/api//shops',
  '/api/shops/%E2%80%AE', '/api/stores/../shops', '/api/jobs?status=%3Cscript%3E',
];
const adminPath = fc.oneof(fc.constantFrom(...ADMIN_PATHS), fc.string({ maxLength: 200 }).map((s) => `/api/shops/${encodeURIComponent(s)}`));

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.record({
    caller: fc.constantFrom<Caller>('shopify-signed', 'shopify-unsigned', 'shopify-bad-signature'),
    method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT'), path: fc.constantFrom('/webhooks/shopify', '/webhooks/shopify/', '/webhooks/shopify?x=%ff'),
    contentType, body, topic: fc.constantFrom('orders/create', 'orders/updated', 'orders/delete', 'orders/cancelled', 'app/uninstalled', 'shop/redact', 'bogus/topic', '', 'orders/\u00ffcreate', ' orders/create'),
  }),
  fc.record({
    caller: fc.constant<Caller>('woocommerce-unsigned'), method: fc.constant('POST'), path: fc.constant('/webhooks/woocommerce'),
    contentType, body, topic: fc.constantFrom('order.created', 'order.updated', 'order.deleted', 'bogus'),
  }),
  fc.record({
    caller: fc.constantFrom<Caller>('admin', 'admin', 'admin-no-token'), method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'), path: adminPath,
    contentType, body, topic: fc.constant(''),
  }),
);

/** `count` requests, the same for the same seed. */
export function fuzzRequests(count: number, seed: number): FuzzRequest[] {
  return fc.sample(fuzzRequest, { numRuns: count, seed });
}
