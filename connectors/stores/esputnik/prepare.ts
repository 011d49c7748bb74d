// eSputnik orders' pure half of delivery: canonical order → what v1/orders gets, the order already encoded.
import type { JsonText } from '../../../src/core/delivery/jsonText.ts';
import type { PrepareItem } from '../../../src/core/delivery/preparation.ts';
import { planOrderWrite } from '../../../mappings/stores/esputnik/index.ts';
import type { EsputnikOrdersSettings } from './settings.ts';

/** The write plan of mappings/stores/esputnik/orders.ts as plain data that crosses a thread: an upsert goes as its JSON text. */
export type EsputnikOrderPrepared =
  | { action: 'upsert'; json: JsonText; externalOrderId: string }
  | { action: 'delete'; externalOrderId: string }
  | { action: 'skip'; reason: string }
  | { action: 'reject'; problem: string };

export function prepareEsputnikOrder({ order }: PrepareItem, settings: EsputnikOrdersSettings): EsputnikOrderPrepared {
  const plan = planOrderWrite(order, settings);
  if (plan.action !== 'upsert') return plan;
  return { action: 'upsert', json: JSON.stringify(plan.order), externalOrderId: plan.order.externalOrderId };
}
