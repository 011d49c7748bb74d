// The stores whose preparation may run off the event loop, by kind. Imported by the preparation
// worker: keep it to pure mapping code (no database, no network).
import type { Order } from '../core/canonical/index.ts';
import { prepareEngageOrder } from '../../connectors/stores/engage/prepare.ts';
import { prepareEsputnikOrder } from '../../connectors/stores/esputnik/prepare.ts';
import { prepareExpertSender } from '../../connectors/stores/expertsender/prepare.ts';
import type { PrepareInput, PrepareOrder } from '../core/delivery/preparation.ts';

export const PREPARATIONS: Record<string, PrepareOrder> = {
  engage: prepareEngageOrder,
  expertsender: prepareExpertSender,
  'esputnik-orders': prepareEsputnikOrder,
};

/** Parses each stored order and prepares it with one store's preparation (the worker's loop). */
export function prepareInputs(prepare: PrepareOrder, inputs: PrepareInput[], settings: unknown, now: number): unknown[] {
  return inputs.map((input) => prepare({
    order: input.order === null ? null : (JSON.parse(input.order) as Order), events: input.events, origin: input.origin,
  }, settings as never, now));
}
