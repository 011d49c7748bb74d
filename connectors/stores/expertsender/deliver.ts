// Delivering to ExpertSender ECDP: writes as AddOrReplace in chunks (halved when one is refused), status changes, deletions.
import {
  classifyStatus, retryAfterMs,
  type DeliveryItem, type DeliveryOutcome, type DestinationContext,
} from '../../../src/core/delivery/destination.ts';
import { ExpertSenderClient, type EsCallResult } from './client.ts';
import { prepareExpertSender, type EsPrepared, type EsPreparedUpsert } from './prepare.ts';
import { describeEsError } from './problem.ts';
import { ES_MAX_BATCH, type ExpertSenderSettings } from './settings.ts';

type Ctx = DestinationContext<ExpertSenderSettings>;

/** An order waiting for POST /orders, with the index of its item in the deliver() call. */
interface Pending {
  index: number;
  order: EsPreparedUpsert;
}

/** Outcome for a failed call that is not the order's fault (network, 5xx, 429) or an auth failure. */
function failure(result: EsCallResult, ctx: Ctx): DeliveryOutcome | null {
  if (result.kind === 'network') return { outcome: 'retry', error: result.error };
  const cls = classifyStatus(result.status);
  if (cls === 'retry') {
    const outcome: DeliveryOutcome = { outcome: 'retry', error: describeEsError(result.status, result.text) };
    const after = retryAfterMs(result.retryAfter, ctx.now());
    if (after !== undefined) outcome.retryAfterMs = after;
    return outcome;
  }
  return null;
}

/**
 * POSTs a chunk as AddOrReplace. When the store refuses the whole call (4xx) and the chunk has
 * several orders, it is halved until the refused order is alone, so the others still get in.
 * AddOrReplace is idempotent, so resending orders of a refused call is safe.
 */
async function postChunk(chunk: Pending[], client: ExpertSenderClient, ctx: Ctx, out: DeliveryOutcome[]): Promise<void> {
  const result = await client.postOrders(chunk.map((p) => p.order.json), ctx.settings.matchBy);
  const failed = failure(result, ctx);
  if (failed) {
    for (const p of chunk) out[p.index] = failed;
    return;
  }
  if (result.kind === 'response' && classifyStatus(result.status) === 'ok') {
    for (const p of chunk) out[p.index] = { outcome: 'delivered', detail: `AddOrReplace ${p.order.id} (${p.order.status})` };
    return;
  }
  const text = result.kind === 'response' ? describeEsError(result.status, result.text) : '';
  if (chunk.length === 1) {
    out[chunk[0]!.index] = { outcome: 'rejected', error: text };
    return;
  }
  const half = Math.ceil(chunk.length / 2);
  await postChunk(chunk.slice(0, half), client, ctx, out);
  await postChunk(chunk.slice(half), client, ctx, out);
}

async function deleteOrder(orderId: string, client: ExpertSenderClient, ctx: Ctx): Promise<DeliveryOutcome> {
  const result = await client.deleteOrder(orderId);
  const failed = failure(result, ctx);
  if (failed) return failed;
  if (result.kind !== 'response') return { outcome: 'retry', error: 'no answer' }; // unreachable: failure() covers network
  if (classifyStatus(result.status) === 'ok') return { outcome: 'delivered', detail: `deleted ${orderId}` };
  // the store never had it (or already deleted it): the wanted end state holds
  if (result.status === 404) return { outcome: 'delivered', detail: `${orderId} was not in ExpertSender; nothing to delete` };
  return { outcome: 'rejected', error: describeEsError(result.status, result.text) };
}

export async function deliverToExpertSender(items: DeliveryItem[], ctx: Ctx): Promise<DeliveryOutcome[]> {
  const client = new ExpertSenderClient(ctx.fetch, ctx.settings.baseUrl, ctx.secret);
  const out: DeliveryOutcome[] = new Array<DeliveryOutcome>(items.length);
  const upserts: Pending[] = [];

  for (const [index, item] of items.entries()) {
    // Prepared in the preparation worker when the runtime has one; here otherwise.
    const plan = (item.prepared as EsPrepared | undefined) ?? prepareExpertSender(item, ctx.settings);
    switch (plan.kind) {
      case 'skip':
        out[index] = { outcome: 'delivered', detail: `skipped: ${plan.reason}` };
        break;
      case 'invalid':
        out[index] = { outcome: 'rejected', error: plan.reason };
        break;
      case 'upsert':
        upserts.push({ index, order: plan });
        break;
      case 'delete':
        out[index] = await deleteOrder(plan.orderId, client, ctx);
        break;
      case 'status': {
        const result = await client.putStatus(plan.body);
        const failed = failure(result, ctx);
        if (failed) out[index] = failed;
        else if (result.kind === 'response' && classifyStatus(result.status) === 'ok') {
          out[index] = { outcome: 'delivered', detail: `status of ${plan.body.orderId} → ${plan.body.orderStatus}` };
        } else if (plan.fallback.kind === 'upsert') {
          // the shortcut was refused (e.g. the store lacks the order): the full order carries the status too
          upserts.push({ index, order: plan.fallback });
        } else {
          out[index] = { outcome: 'rejected', error: plan.fallback.reason };
        }
        break;
      }
    }
  }

  const size = Math.min(Math.max(1, ctx.settings.batchSize), ES_MAX_BATCH);
  for (let i = 0; i < upserts.length; i += size) await postChunk(upserts.slice(i, i + size), client, ctx, out);
  return out;
}
