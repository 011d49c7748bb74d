import { createHmac, randomUUID } from 'node:crypto';

export interface ShopifyDelivery {
  topic: string;
  body: string;
  shop?: string;
  secret: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  /** Overrides the computed signature (for bad-signature tests). */
  hmac?: string;
}

/** Signs like Shopify: base64(HMAC-SHA256(raw body, app secret)), with the documented headers. */
export function signShopify(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export async function sendShopifyWebhook(baseUrl: string, d: ShopifyDelivery): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/shopify`, {
    method: 'POST',
    body: d.body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': d.topic,
      'x-shopify-hmac-sha256': d.hmac ?? signShopify(d.body, d.secret),
      'x-shopify-shop-domain': d.shop ?? 'demo-shop.myshopify.com',
      'x-shopify-api-version': '2026-01',
      'x-shopify-webhook-id': d.webhookId ?? randomUUID(),
      'x-shopify-event-id': d.eventId ?? randomUUID(),
      'x-shopify-triggered-at': d.triggeredAt ?? new Date().toISOString(),
    },
  });
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
