// Engage's pure half of delivery: canonical order → the JSON text of its Engage order (or why none).
import type { Order } from '../../src/canonical/index.ts';
import type { DeliveryItem } from '../../src/delivery/destination.ts';
import type { PrepareInput } from '../../src/delivery/preparation.ts';
import { DEFAULT_ENGAGE_STATUSES, encodeEngageOrders, mapOrderToEngage } from '../../mappings/engage/index.ts';
import type { EngageSettings } from './destination.ts';

export type EngagePrepared =
  | { kind: 'send'; json: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string }
  | { kind: 'none' };

export function prepareEngageOrder(order: Order | null, item: Pick<DeliveryItem, 'events' | 'origin'>, settings: EngageSettings, now: number): EngagePrepared {
  if (!order) return { kind: 'none' };
  const mapped = mapOrderToEngage(order, {
    now, events: item.events, origin: item.origin,
    maxOrderAgeDays: settings.maxOrderAgeDays,
    sendTestOrders: settings.sendTestOrders,
    statuses: { ...DEFAULT_ENGAGE_STATUSES, ...settings.statuses },
  });
  if (mapped.kind === 'send') return { kind: 'send', json: encodeEngageOrders([mapped.order]) };
  return mapped;
}

/** The worker's entry: parses each stored canonical order and prepares it. */
export function prepareEngageBatch(inputs: PrepareInput[], settings: EngageSettings, now: number): EngagePrepared[] {
  return inputs.map((input) => prepareEngageOrder(input.order === null ? null : (JSON.parse(input.order) as Order), input, settings, now));
}
