// ExpertSender's pure half of delivery: canonical order → its plan, with the orders already encoded.
import type { JsonText } from '../../../src/core/delivery/jsonText.ts';
import type { PrepareItem } from '../../../src/core/delivery/preparation.ts';
import { planExpertSenderDelivery, type EsStatusBody, type UpsertOrInvalid } from '../../../mappings/stores/expertsender/index.ts';
import { mappingOptions, type ExpertSenderSettings } from './settings.ts';

/** A full AddOrReplace of one order, as the JSON text of its `data` element. */
export interface EsPreparedUpsert { kind: 'upsert'; json: JsonText; id: string; status: string }

/** The plan of mappings/stores/expertsender/plan.ts as plain data that crosses a thread: orders go as their JSON text. */
export type EsPrepared =
  | EsPreparedUpsert
  | { kind: 'status'; body: EsStatusBody; fallback: EsPreparedUpsert | { kind: 'invalid'; reason: string } }
  | { kind: 'delete'; orderId: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; reason: string };

function encoded(plan: UpsertOrInvalid): EsPreparedUpsert | { kind: 'invalid'; reason: string } {
  if (plan.kind === 'invalid') return plan;
  return { kind: 'upsert', json: JSON.stringify(plan.order), id: plan.order.id, status: plan.order.status };
}

export function prepareExpertSender(input: PrepareItem, settings: ExpertSenderSettings): EsPrepared {
  const plan = planExpertSenderDelivery(input, mappingOptions(settings));
  switch (plan.kind) {
    case 'upsert':
      return encoded(plan);
    case 'status':
      return { kind: 'status', body: plan.body, fallback: encoded(plan.fallback) };
    default:
      return plan;
  }
}
