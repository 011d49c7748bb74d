import '@shopify/shopify-api/adapters/web-api';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';

export interface ShopifyWebhookHeaders {
  topic: string;
  /** The shop's myshopify domain, from X-Shopify-Shop-Domain. */
  domain: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: string | null;
  apiVersion: string;
}

/** What validate() requires; the optional ones are read from the request itself. */
const SHOPIFY_HEADERS = [
  'x-shopify-hmac-sha256', 'x-shopify-topic', 'x-shopify-shop-domain', 'x-shopify-api-version', 'x-shopify-webhook-id',
];

export type ShopifyVerification =
  | { valid: true; webhook: ShopifyWebhookHeaders }
  | { valid: false; reason: string };

export interface ShopifySecrets {
  /** The app's client secret (SHOPIFY_API_SECRET). */
  secret: string;
  /** The secret before a rotation: Shopify may sign with it for up to an hour. */
  previousSecret?: string;
  apiKey?: string;
}

/** Verifies X-Shopify-Hmac-Sha256 on the raw body with @shopify/shopify-api, accepting the previous secret during a rotation. */
export function createShopifyVerifier(secrets: ShopifySecrets): (request: Request, rawBody: string) => Promise<ShopifyVerification> {
  const apis = [secrets.secret, secrets.previousSecret]
    .filter((s): s is string => !!s)
    .map((apiSecretKey) => shopifyApi({
      apiKey: secrets.apiKey ?? 'orderbridge',
      apiSecretKey,
      hostName: 'localhost',
      // Only used for Admin API calls; webhook checks accept any X-Shopify-API-Version.
      apiVersion: ApiVersion.January26,
      isEmbeddedApp: false,
      // The library's logger would print request details; orderbridge logs for itself.
      logger: { level: LogSeverity.Error, log: async () => {}, httpRequests: false, timestamps: false },
    }));
  return async (request, rawBody) => {
    if (apis.length === 0) return { valid: false, reason: 'SHOPIFY_API_SECRET is not configured' };
    // The library canonicalises every header on every look-up; handing it only Shopify's keeps that cheap.
    const slim = {
      method: request.method,
      url: request.url,
      headers: new Map(SHOPIFY_HEADERS.flatMap((h) => {
        const v = request.headers.get(h);
        return v === null ? [] : [[h, v] as const];
      })),
    } as unknown as Request;
    let reason = 'invalid_hmac';
    for (const api of apis) {
      const result = await api.webhooks.validate({ rawBody, rawRequest: slim });
      if (result.valid) {
        const r = result as typeof result & { eventId?: string; triggeredAt?: string };
        return {
          valid: true,
          webhook: {
            // The library rewrites the topic as ORDERS_CREATE; the header's orders/create is the documented name.
            topic: request.headers.get('x-shopify-topic') ?? r.topic, domain: r.domain, webhookId: r.webhookId, apiVersion: r.apiVersion,
            eventId: r.eventId ?? request.headers.get('x-shopify-event-id'),
            triggeredAt: r.triggeredAt ?? request.headers.get('x-shopify-triggered-at'),
          },
        };
      }
      reason = result.reason;
      if (result.reason !== 'invalid_hmac') break; // missing headers/body: another secret will not help
    }
    return { valid: false, reason };
  };
}
