// WooCommerce webhook wire format: signature, ping and delivery headers. Web Crypto only, so it runs on Workers.

import { hostLengthProblem, idDigitsProblem, MAX_DELIVERY_ID_LENGTH } from '../../../src/core/canonical/keyBounds.ts';
import { plainDigits } from '../../../src/core/canonical/order.ts';

const encoder = new TextEncoder();

function base64ToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

async function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

const bodyBytes = (raw: string | Uint8Array): Uint8Array => (typeof raw === 'string' ? encoder.encode(raw) : raw);

/** base64(HMAC-SHA256(raw body, secret)), as WooCommerce computes X-WC-Webhook-Signature. */
export async function signWooBody(rawBody: string | Uint8Array, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), bodyBytes(rawBody) as BufferSource);
  return bytesToBase64(new Uint8Array(mac));
}

/**
 * Checks X-WC-Webhook-Signature over the exact raw body. crypto.subtle.verify compares in constant time.
 * The secret is used as stored by us; WooCommerce HTML-decodes its stored secret first, so secrets should
 * avoid & < > " ' (generateWebhookSecret does).
 */
export async function verifyWooSignature(rawBody: string | Uint8Array, signature: string | null, secret: string): Promise<boolean> {
  if (!signature || !secret) return false;
  const offered = base64ToBytes(signature.trim());
  if (!offered || offered.length !== 32) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret, 'verify'), offered as BufferSource, bodyBytes(rawBody) as BufferSource);
}

export type WooWebhook =
  | { kind: 'ping'; webhookId: string }
  | {
      kind: 'delivery';
      /** Site URL as sent (with its trailing slash). */
      source: string;
      /** Lower-cased host of the source (with port when not default): the shop in order keys. */
      shop: string;
      topic: string;
      resource: string;
      event: string;
      webhookId: string;
      deliveryId: string;
      signature: string;
    }
  | { kind: 'invalid'; reason: string }
  /** Headers that cannot name any shop (a host longer than a host name can be): the request is malformed, whoever signed it. */
  | { kind: 'malformed'; reason: string };

const PING = /^webhook_id=(\d+)$/;

/** Classifies an incoming POST: the creation ping, a delivery (signature still to be checked), or junk. */
export function readWooWebhook(headers: Pick<Headers, 'get'>, rawBody: string): WooWebhook {
  const h = (name: string) => headers.get(`x-wc-webhook-${name}`)?.trim() || null;
  const anyWcHeader = ['source', 'topic', 'resource', 'event', 'signature', 'id', 'delivery-id'].some((n) => h(n) !== null);
  if (!anyWcHeader) {
    const ping = PING.exec(rawBody.trim());
    return ping ? { kind: 'ping', webhookId: ping[1]! } : { kind: 'invalid', reason: 'not a WooCommerce webhook: no X-WC-Webhook headers' };
  }
  const source = h('source');
  const topic = h('topic');
  const signature = h('signature');
  const webhookId = h('id');
  const deliveryId = h('delivery-id');
  for (const [name, value] of [['Source', source], ['Topic', topic], ['Signature', signature], ['ID', webhookId], ['Delivery-ID', deliveryId]] as const) {
    if (value === null) return { kind: 'invalid', reason: `missing X-WC-Webhook-${name}` };
  }
  let url: URL;
  try {
    url = new URL(source!);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return { kind: 'invalid', reason: 'X-WC-Webhook-Source is not a site URL' };
  }
  const tooLong = hostLengthProblem(url.hostname);
  if (tooLong !== null) return { kind: 'malformed', reason: `X-WC-Webhook-Source has ${tooLong}` };
  const shop = url.host.toLowerCase();
  const dot = topic!.indexOf('.');
  if (dot <= 0 || dot === topic!.length - 1) return { kind: 'invalid', reason: 'X-WC-Webhook-Topic is not resource.event' };
  if (!/^\d+$/.test(webhookId!)) return { kind: 'invalid', reason: 'X-WC-Webhook-ID is not a number' };
  // Both are part of the receipt's key.
  const longId = idDigitsProblem(plainDigits(webhookId!));
  if (longId !== null) return { kind: 'malformed', reason: `X-WC-Webhook-ID is ${longId}` };
  if (deliveryId!.length > MAX_DELIVERY_ID_LENGTH) {
    return { kind: 'malformed', reason: `X-WC-Webhook-Delivery-ID is ${deliveryId!.length} characters; delivery ids have at most ${MAX_DELIVERY_ID_LENGTH}` };
  }
  return {
    kind: 'delivery',
    source: source!,
    shop,
    topic: topic!,
    // Resource/Event headers are redundant with the topic; the topic wins when they disagree
    resource: topic!.slice(0, dot),
    event: topic!.slice(dot + 1),
    webhookId: webhookId!,
    deliveryId: deliveryId!,
    signature: signature!,
  };
}

/**
 * Receipt key for deduplication. WooCommerce's Delivery-ID is wp_hash(webhook id . unix second): every
 * delivery of one webhook within the same second shares it, even for different orders. The body hash keeps
 * those apart while a true re-send (same body) still collapses.
 */
export async function wooReceiptKey(delivery: { shop: string; webhookId: string; deliveryId: string }, rawBody: string | Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bodyBytes(rawBody) as BufferSource));
  return `${delivery.shop}:${delivery.webhookId}:${delivery.deliveryId}:${bytesToBase64(digest).slice(0, 22)}`;
}

/** 32 random bytes, base64url: no characters WooCommerce would HTML-escape when it stores the secret. */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
