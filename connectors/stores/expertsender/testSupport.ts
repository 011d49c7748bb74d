// Test support for the ExpertSender connector: a plain delivery context and delivery items.
import type { Order, EventType } from '../../../src/core/canonical/index.ts';
import type { DeliveryItem, DestinationContext } from '../../../src/core/delivery/destination.ts';
import { ExpertSenderSettings } from './settings.ts';

let nextItemId = 1;

export function deliveryItem(order: Order, events: EventType[], origin: DeliveryItem['origin'] = 'webhook'): DeliveryItem {
  return { id: nextItemId++, orderKey: order.key, events, order, customer: order.customer, origin, attempt: 1 };
}

/** The context the delivery engine would hand over: parsed settings, the key, a fetch with a timeout. */
export function deliveryContext(
  baseUrl: string,
  secret: string,
  settings: Partial<ExpertSenderSettings> = {},
  timeoutMs = 5_000,
): DestinationContext<ExpertSenderSettings> {
  const timed = ((input: RequestInfo | URL, init?: RequestInit) =>
    globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as typeof fetch;
  return {
    settings: ExpertSenderSettings.parse({ ...settings, baseUrl }),
    secret,
    fetch: timed,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
