// Engage's pure half of delivery: canonical order → the JSON text of its Engage order (or why none).
import type { JsonText } from '../../../src/core/delivery/jsonText.ts';
import type { PrepareItem } from '../../../src/core/delivery/preparation.ts';
import { DEFAULT_ENGAGE_STATUSES, encodeEngageOrders, mapOrderToEngage } from '../../../mappings/stores/engage/index.ts';
import type { EngageSettings } from './settings.ts';

export type EngagePrepared =
  | { kind: 'send'; json: JsonText }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string }
  | { kind: 'none' };

export function prepareEngageOrder({ order, events, origin }: PrepareItem, settings: EngageSettings, now: number): EngagePrepared {
  if (!order) return { kind: 'none' };
  const mapped = mapOrderToEngage(order, {
    now, events, origin,
    maxOrderAgeDays: settings.maxOrderAgeDays,
    sendTestOrders: settings.sendTestOrders,
    statuses: { ...DEFAULT_ENGAGE_STATUSES, ...settings.statuses },
  });
  if (mapped.kind === 'send') return { kind: 'send', json: encodeEngageOrders([mapped.order]) };
  return mapped;
}
