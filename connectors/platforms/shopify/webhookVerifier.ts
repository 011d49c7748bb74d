import { hostLengthProblem } from '../../../src/core/canonical/keyBounds.ts';

export interface ShopifyWebhookHeaders {
  topic: string;
  /** The shop's myshopify domain, from X-Shopify-Shop-Domain. */
  domain: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: string | null;
  apiVersion: string;
}

export type ShopifyVerification =
  | { valid: true; webhook: ShopifyWebhookHeaders }
  | { valid: false; reason: 'missing_body' | 'missing_hmac' | 'invalid_hmac' | 'not_configured' }
  /** Signed correctly, but without headers a delivery needs; `missing` names them as Shopify spells them. */
  | { valid: false; reason: 'missing_headers'; missing: string[] };

export interface ShopifySecrets {
  /** The app's client secret (SHOPIFY_API_SECRET). */
  secret: string;
  /** The secret before a rotation: Shopify may sign with it for up to an hour. */
  previousSecret?: string;
  /** How signatures are checked (default: Web Crypto, any runtime; the Node runtime hands in node:crypto's). */
  check?: HmacCheck;
}

/** Whether `offered` (base64) is HMAC-SHA256(body, key) for one of `keys`, compared in constant time. */
export type HmacCheck = (keys: readonly string[], offered: string, body: Uint8Array) => boolean | Promise<boolean>;

const encoder = new TextEncoder();

/** Any runtime: crypto.subtle.verify compares in constant time; each key is imported once. */
export function webCryptoHmacCheck(): HmacCheck {
  const imported = new Map<string, Promise<CryptoKey>>();
  const keyOf = (key: string) => {
    let k = imported.get(key);
    if (!k) imported.set(key, (k = crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])));
    return k;
  };
  return async (keys, offered, body) => {
    const mac = base64Bytes(offered);
    if (!mac) return false;
    for (const key of keys) {
      if (await crypto.subtle.verify('HMAC', await keyOf(key), mac as BufferSource, body as BufferSource)) return true;
    }
    return false;
  };
}

/** Base64 as Shopify sends it (padding optional), or null when it is not base64. */
function base64Bytes(text: string): Uint8Array | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** X-Shopify-Shop-Domain is always the shop's own `<name>.myshopify.com` host (never a custom domain), a host name's length at most. */
export function isShopDomain(domain: string): boolean {
  return hostLengthProblem(domain) === null && /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i.test(domain);
}

/**
 * Checks a delivery against the app's secrets, or, given `shopSecret`, against that one alone (a custom app made in
 * one shop's admin signs its webhooks with its own API secret).
 */
export type ShopifyVerify = (headers: Pick<Headers, 'get'>, rawBody: Uint8Array | string, shopSecret?: string) => Promise<ShopifyVerification>;

/** Headers @shopify/shopify-api's webhooks.validate requires; we require the same (look-ups ignore case). */
const REQUIRED = ['X-Shopify-Topic', 'X-Shopify-Shop-Domain', 'X-Shopify-API-Version', 'X-Shopify-Webhook-Id'] as const;

/**
 * X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body, client secret)), checked in constant time
 * against the current secret and, during a rotation, the previous one. Same verdicts as
 * @shopify/shopify-api's webhooks.validate (test/shopifyVerifier.test.ts holds them side by side),
 * at a twentieth of its cost on the hot path.
 */
export function createShopifyVerifier(secrets: ShopifySecrets): ShopifyVerify {
  const appKeys = [secrets.secret, secrets.previousSecret].filter((s): s is string => !!s);
  const check = secrets.check ?? webCryptoHmacCheck();
  return async (h, rawBody, shopSecret) => {
    const keys = shopSecret ? [shopSecret] : appKeys;
    if (keys.length === 0) return { valid: false, reason: 'not_configured' };
    if (rawBody.length === 0) return { valid: false, reason: 'missing_body' };
    const offered = h.get('x-shopify-hmac-sha256');
    if (!offered) return { valid: false, reason: 'missing_hmac' };
    // Over the bytes as received: text decoded and encoded again is not always the same bytes.
    const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
    if (!(await check(keys, offered, body))) return { valid: false, reason: 'invalid_hmac' };
    const missing = REQUIRED.filter((name) => !h.get(name));
    if (missing.length > 0) return { valid: false, reason: 'missing_headers', missing };
    return {
      valid: true,
      webhook: {
        topic: h.get('x-shopify-topic')!, domain: h.get('x-shopify-shop-domain')!, apiVersion: h.get('x-shopify-api-version')!,
        webhookId: h.get('x-shopify-webhook-id')!, eventId: h.get('x-shopify-event-id'), triggeredAt: h.get('x-shopify-triggered-at'),
      },
    };
  };
}
