// Delivering to Engage Order History: batches of up to 250, bisected when Engage refuses one.
import type { DeliveryItem, DeliveryOutcome, DestinationContext } from '../../../src/core/delivery/destination.ts';
import { joinJson, type JsonText } from '../../../src/core/delivery/jsonText.ts';
import { ENGAGE_MAX_BATCH } from '../../../mappings/stores/engage/index.ts';
import { EngageClient, type EngageAnswer } from './client.ts';
import { prepareEngageOrder, type EngagePrepared } from './prepare.ts';
import type { EngageSettings } from './settings.ts';

/** One encoded order waiting to go, with the outcome slot it fills. */
interface Pending {
  index: number;
  json: JsonText;
}

export async function deliverToEngage(
  items: DeliveryItem[],
  ctx: DestinationContext<EngageSettings>,
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = new Array(items.length);
  const pending: Pending[] = [];
  const now = ctx.now();
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // Prepared in the preparation worker when the runtime has one; here otherwise.
    const prepared = (item.prepared as EngagePrepared | undefined) ?? prepareEngageOrder(item, ctx.settings, now);
    if (prepared.kind === 'send') pending.push({ index: i, json: prepared.json });
    else if (prepared.kind === 'none') outcomes[i] = { outcome: 'delivered', detail: 'skipped: Engage Order History takes orders only' };
    else if (prepared.kind === 'skip') outcomes[i] = { outcome: 'delivered', detail: `skipped: ${prepared.reason}` };
    else outcomes[i] = { outcome: 'rejected', error: `not sent to Engage: ${prepared.reason}` };
  }

  const client = new EngageClient({ baseUrl: ctx.settings.baseUrl, token: ctx.secret, fetch: ctx.fetch, now: ctx.now });
  let backOff: DeliveryOutcome | null = null;
  for (let start = 0; start < pending.length; start += ENGAGE_MAX_BATCH) {
    const chunk = pending.slice(start, start + ENGAGE_MAX_BATCH);
    // Once Engage says "not now", sending more in this call only makes it worse.
    if (backOff) fill(outcomes, chunk, backOff);
    else backOff = await sendBisecting(client, chunk, outcomes);
  }
  return outcomes;
}

/**
 * Sends a batch; on a 400 (which does not say which order is bad) splits it in halves until the bad
 * orders stand alone, so only they are rejected. Resends are safe: Engage overwrites by order_id.
 * Returns the retry outcome when Engage asked to back off, else null.
 */
async function sendBisecting(client: EngageClient, batch: Pending[], outcomes: DeliveryOutcome[]): Promise<DeliveryOutcome | null> {
  // A single order goes as an object (the documented form), several as an array.
  const answer = await client.postOrders(batch.length === 1 ? batch[0]!.json : joinJson('[', batch.map((p) => p.json), ']'));
  if (answer.kind === 'invalid' && batch.length > 1) {
    const mid = batch.length >>> 1;
    const left = batch.slice(0, mid);
    const right = batch.slice(mid);
    const backOff = await sendBisecting(client, left, outcomes);
    if (backOff) {
      fill(outcomes, right, backOff);
      return backOff;
    }
    return sendBisecting(client, right, outcomes);
  }
  const outcome = toOutcome(answer);
  fill(outcomes, batch, outcome);
  return outcome.outcome === 'retry' ? outcome : null;
}

function toOutcome(answer: EngageAnswer): DeliveryOutcome {
  switch (answer.kind) {
    case 'ok':
      return { outcome: 'delivered' };
    case 'invalid':
    case 'rejected':
      return { outcome: 'rejected', error: answer.error };
    case 'retry':
      return answer.retryAfterMs === undefined
        ? { outcome: 'retry', error: answer.error }
        : { outcome: 'retry', error: answer.error, retryAfterMs: answer.retryAfterMs };
  }
}

function fill(outcomes: DeliveryOutcome[], batch: Pending[], outcome: DeliveryOutcome): void {
  for (const p of batch) outcomes[p.index] = { ...outcome };
}
