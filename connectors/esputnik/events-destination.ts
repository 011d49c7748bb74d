import { z } from 'zod';
import { planEvents, type EsputnikEvent } from '../../mappings/esputnik/index.ts';
import type { EventType } from '../../src/canonical/index.ts';
import type { DeliveryItem, DeliveryOutcome, DestinationContext, StoreDefinition } from '../../src/delivery/destination.ts';
import type { EsputnikClient } from './client.ts';
import { failureOf } from './outcome.ts';
import { settingsObject } from '../../src/delivery/storeSettings.ts';
import { clientFor, keyRateGroup, sharedSettings } from './settings.ts';

export const esputnikEventsSettings = settingsObject({
  ...sharedSettings,
  /** v1/event cannot delete an order: 'cancel' sends orderCancelled, 'ignore' sends nothing. */
  deletedOrders: z.enum(['cancel', 'ignore']).default('cancel'),
  /** Also send `products`, which eSputnik needs to show the order's products in messages. */
  includeProducts: z.boolean().default(true),
});
export type EsputnikEventsSettings = z.infer<typeof esputnikEventsSettings>;

/** eSputnik v1/event: each lifecycle step becomes one event request, in order, per order. */
export const esputnikEventsStore: StoreDefinition<EsputnikEventsSettings> = {
  kind: 'esputnik-events',
  title: 'eSputnik events (v1/event)',
  settingsSchema: esputnikEventsSettings,
  requiresSecret: true,
  // One request per event: a batch is only a unit of work, not a request body.
  batchSize: 50,
  // Documented: 350 req/s for events on one key (its own budget, apart from v1/orders).
  requestsPerSecond: 350,
  rateGroup: keyRateGroup,
  timeoutMs: 15_000,
  deliver: deliverEvents,
};

async function deliverEvents(items: DeliveryItem[], ctx: DestinationContext<EsputnikEventsSettings>): Promise<DeliveryOutcome[]> {
  const client = clientFor(ctx);
  // Items are different orders (the engine keeps one order's rows in sequence), so they may run side by side.
  return Promise.all(items.map(async (item): Promise<DeliveryOutcome> => {
    const plan = planEvents({ order: item.order, events: item.events, origin: item.origin }, ctx.settings);
    if (plan.action === 'skip') return { outcome: 'delivered', detail: `not sent: ${plan.reason}` };
    if (plan.action === 'reject') return { outcome: 'rejected', error: plan.problem };
    return sendInOrder(client, plan.events, plan.remaining, ctx.now);
  }));
}

/**
 * Sends an order's events one after another; the first failure decides the item. A retry names the
 * events still to apply, so the events eSputnik already took (and their automations) are not sent again.
 */
async function sendInOrder(client: EsputnikClient, events: EsputnikEvent[], remaining: EventType[][], now: () => number): Promise<DeliveryOutcome> {
  for (const [i, event] of events.entries()) {
    const failure = failureOf(await client.sendEvent(event), now());
    if (failure) {
      const step = `${event.eventTypeKey} (${i + 1} of ${events.length})`;
      if (failure.outcome !== 'retry') return { outcome: 'rejected', error: `${step}: ${failure.error}` };
      return { ...failure, error: `${step}: ${failure.error}`, ...(i > 0 ? { remainingEvents: remaining[i]! } : {}) };
    }
  }
  return { outcome: 'delivered', detail: events.map((e) => e.eventTypeKey).join(', ') };
}
