import { parseJsonLossless } from '../../../core/canonical/index.ts';
import type { Change } from '../../../core/pipeline/change.ts';
import { versionOf } from '../../../core/pipeline/orderVersion.ts';
import { shopifyChange } from './change.ts';

/** One verified Shopify webhook, as its translation needs it. */
export interface ShopifyDelivery {
  topic: string;
  body: string;
  shop: string;
  triggeredAt: number;
}

/** The change a webhook asks for, or why its body is not JSON (answered 400 and not stored: Shopify retries). */
export type ShopifyTranslation = { change: Change } | { invalidJson: string };

/** Where a runtime translates webhooks: here, or on another thread (src/node/translationThread.ts). */
export type ShopifyTranslator = (delivery: ShopifyDelivery) => Promise<ShopifyTranslation>;

/** Parses and maps one webhook; an unreadable payload becomes a quarantine change, never an exception. */
export function translateShopify({ topic, body, shop, triggeredAt }: ShopifyDelivery): ShopifyTranslation {
  let payload: unknown;
  try {
    payload = parseJsonLossless(body);
  } catch (error) {
    return { invalidJson: (error as Error).message };
  }
  try {
    return { change: shopifyChange(topic, payload, body, shop, triggeredAt) };
  } catch (error) {
    return { change: { kind: 'quarantine', body, error: `${topic}: ${(error as Error).message}` } };
  }
}

export const translateShopifyHere: ShopifyTranslator = (delivery) => Promise.resolve(translateShopify(delivery));

/**
 * The translation as plain data another thread can post back: an order goes as its serialised version
 * (cloning the object graph would cost the receiver more than the JSON text). Null when the change
 * holds code (a refund amends the stored order): the receiver translates that one itself.
 */
export function portable(translation: ShopifyTranslation): ShopifyTranslation | null {
  if (!('change' in translation)) return translation;
  const { change } = translation;
  if (change.kind === 'amend') return null;
  if (change.kind !== 'order') return translation;
  if (typeof change.events === 'function') return null;
  return { change: { kind: 'version', version: versionOf(change.order), events: change.events, origin: change.origin } };
}
