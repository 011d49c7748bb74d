// eSputnik v1/orders: each item's newest state is upserted by externalOrderId; deleted orders are deleted.
import type { DeliveryItem, DeliveryOutcome, DestinationContext } from '../../../src/core/delivery/destination.ts';
import { chunk, MAX_ORDERS_PER_REQUEST, type EsputnikClient } from './client.ts';
import { failureOf, parseFailedOrders } from './outcome.ts';
import { prepareEsputnikOrder, type EsputnikOrderPrepared } from './prepare.ts';
import { clientFor, type EsputnikOrdersSettings } from './settings.ts';

/** One order to upsert; `index` is the caller's (its item's place in the batch). */
export interface Upsert {
  index: number;
  order: Extract<EsputnikOrderPrepared, { action: 'upsert' }>;
}

export async function deliverToEsputnikOrders(items: DeliveryItem[], ctx: DestinationContext<EsputnikOrdersSettings>): Promise<DeliveryOutcome[]> {
  const client = clientFor(ctx);
  const outcomes: DeliveryOutcome[] = new Array(items.length);
  const upserts: Upsert[] = [];
  const deletes: Promise<void>[] = [];
  items.forEach((item, index) => {
    // Prepared in the preparation worker when the runtime has one; here otherwise.
    const plan = (item.prepared as EsputnikOrderPrepared | undefined) ?? prepareEsputnikOrder(item, ctx.settings);
    switch (plan.action) {
      case 'skip': outcomes[index] = { outcome: 'delivered', detail: `skipped: ${plan.reason}` }; break;
      case 'reject': outcomes[index] = { outcome: 'rejected', error: plan.problem }; break;
      case 'upsert': upserts.push({ index, order: plan }); break;
      case 'delete':
        deletes.push(deleteOrder(client, plan.externalOrderId, ctx.now).then((o) => { outcomes[index] = o; }));
        break;
    }
  });
  const results = await upsertOrders(client, upserts, ctx.now);
  upserts.forEach((u, i) => { outcomes[u.index] = results[i]!; });
  await Promise.all(deletes);
  return outcomes;
}

/**
 * `POST /v1/orders` for these upserts, up to 1000 a request: one outcome each, in the same order. Also the
 * esputnik-events store's contact import (events-destination.ts).
 */
export async function upsertOrders(client: EsputnikClient, upserts: readonly Upsert[], now: () => number): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (const part of chunk(upserts, MAX_ORDERS_PER_REQUEST)) outcomes.push(...(await upsertBatch(client, part, now)));
  return outcomes;
}

export async function deleteOrder(client: EsputnikClient, externalOrderId: string, now: () => number): Promise<DeliveryOutcome> {
  const ex = await client.deleteOrder(externalOrderId);
  // Already gone is what we wanted.
  if (ex.kind === 'answer' && ex.status === 404) return { outcome: 'delivered', detail: 'not in eSputnik (404)' };
  return failureOf(ex, now()) ?? { outcome: 'delivered', detail: 'deleted' };
}

/** One `POST /v1/orders`; the 200 answer lists failed orders, which alone are rejected. */
async function upsertBatch(client: EsputnikClient, batch: Upsert[], now: () => number): Promise<DeliveryOutcome[]> {
  const ex = await client.addOrders(batch.map((u) => u.order.json));
  const failure = failureOf(ex, now());
  if (failure) {
    // A 4xx for the whole request hides which order is at fault: send them one by one to find out.
    if (failure.outcome === 'rejected' && batch.length > 1 && ex.kind === 'answer' && ex.status !== 401 && ex.status !== 403) {
      const singles: DeliveryOutcome[] = [];
      for (const u of batch) singles.push(...(await upsertBatch(client, [u], now)));
      return singles;
    }
    return batch.map(() => failure);
  }
  const failed = parseFailedOrders(ex.kind === 'answer' ? ex.body : '');
  const byId = new Map(failed.filter((f) => f.externalOrderId !== null).map((f) => [f.externalOrderId!, f.error]));
  const unattributed = failed.filter((f) => f.externalOrderId === null).map((f) => f.error);
  if (unattributed.length > 0 && batch.length > 1) {
    // Which order failed is unknown: upserts are idempotent, so resend the unnamed ones alone.
    const outcomes: DeliveryOutcome[] = [];
    for (const u of batch) {
      const error = byId.get(u.order.externalOrderId);
      outcomes.push(...(error !== undefined ? [refused(u, error)] : await upsertBatch(client, [u], now)));
    }
    return outcomes;
  }
  return batch.map((u): DeliveryOutcome => {
    const error = byId.get(u.order.externalOrderId) ?? (unattributed.length > 0 ? unattributed.join('; ') : undefined);
    return error !== undefined ? refused(u, error) : { outcome: 'delivered' };
  });
}

function refused(u: Upsert, error: string): DeliveryOutcome {
  return { outcome: 'rejected', error: `eSputnik refused order ${u.order.externalOrderId}: ${error}` };
}
