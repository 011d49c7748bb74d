import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The repository's copy of the documented order, so the bench runs from any checkout.
const FIXTURES = join(import.meta.dirname, '../../test/fixtures');

/** A ~5 KB orders/create body: the documented order without its *_set twins and with two lines. */
export function benchOrderTemplate(): string {
  const order = JSON.parse(readFileSync(join(FIXTURES, 'shopify/order-docs-sample.json'), 'utf8')) as Record<string, unknown>;
  const slim = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(slim);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>)
        .filter(([k, v]) => !k.endsWith('_set') && v !== null && !['fulfillments', 'refunds', 'client_details', 'payment_terms'].includes(k))
        .map(([k, v]) => [k, slim(v)]));
    }
    return value;
  };
  const s = slim(order) as Record<string, unknown>;
  s.line_items = (s.line_items as unknown[]).slice(0, 2);
  s.id = 0;
  return JSON.stringify(s).replace('"id":0', '"id":__ORDER_ID__').replace('gid://shopify/Order/450789469', 'gid://shopify/Order/__ORDER_ID__');
}

/** Signed request n: a unique order id and webhook id, so every acknowledged one must be stored. */
export function signedRequest(template: string, secret: string, n: number, shop: string) {
  // 13 digits, like Shopify order ids today (ids beyond 2^53 take the lossless path; the tests cover them).
  const id = String(6_500_000_000_000 + n);
  const body = template.replaceAll('__ORDER_ID__', id);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
      'x-shopify-shop-domain': shop,
      'x-shopify-api-version': '2026-01',
      'x-shopify-webhook-id': `bench-${n}`,
      'x-shopify-event-id': `bench-event-${n}`,
    },
  };
}
