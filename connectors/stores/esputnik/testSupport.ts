// Helpers for the eSputnik tests: a plain DestinationContext and a canonical delivery item.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { mapShopifyOrder } from '../../../mappings/platforms/shopify/order.ts';
import { parseJsonLossless } from '../../../src/core/canonical/json.ts';
import type { EventType, Order } from '../../../src/core/canonical/index.ts';
import type { DeliveryItem, DestinationContext } from '../../../src/core/delivery/destination.ts';

/** fetch with a per-request timeout, as the engine hands it to `deliver`. */
export function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

export function contextFor<S>(
  schema: z.ZodType<S>, settings: Record<string, unknown>, secret: string, timeoutMs = 2000,
): DestinationContext<S> {
  return {
    settings: schema.parse(settings),
    secret,
    fetch: timedFetch(timeoutMs),
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

let nextId = 1;

export function itemFor(order: Order | null, events: EventType[] = [], origin: DeliveryItem['origin'] = 'webhook'): DeliveryItem {
  return { id: nextId++, orderKey: order?.key ?? 'customer', events, order, customer: order?.customer ?? null, origin, attempt: 1 };
}

/** The Shopify fixture with `test: true` (JPY, cancelled) that once reached eSputnik, as the pipeline maps it. */
export function shopifyTestOrder(): Order {
  const raw = readFileSync(new URL('../../../test/fixtures/shopify/order-jpy-cancelled-test.json', import.meta.url), 'utf8');
  return mapShopifyOrder(parseJsonLossless(raw), 'jpy-shop.myshopify.com');
}
