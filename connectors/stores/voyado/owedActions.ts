// Actions a Voyado item still owes after its write went out: kept on the outbox row (`owed`) so a retry sends them, not the write again.
import { z } from 'zod';
import { VOYADO_ACTIONS, type VoyadoEmbeddedAction } from '../../../mappings/stores/voyado/index.ts';
import type { DeliveryOutcome } from '../../../src/core/delivery/destination.ts';

const OwedAction = z.object({
  action: z.enum(VOYADO_ACTIONS),
  language: z.string().optional(),
  data: z.record(z.string(), z.string()).optional(),
});

const OwedActions = z.object({
  orderId: z.string().min(1),
  /** The write's job they wait on; null once it completed. A path under the tenant's base URL, as jobPath chose it. */
  job: z.object({ id: z.string().min(1), path: z.string().startsWith('/') }).nullable(),
  /** The action embedded in that write: it fires only if the job completes, so a rewrite carries it again. */
  embedded: OwedAction.optional(),
  actions: z.array(OwedAction).min(1),
});
export type OwedActions = z.infer<typeof OwedActions>;

/** The owed actions an item came back with, or null (none, or a value this version cannot read: the item is then delivered afresh). */
export function readOwedActions(owed: unknown): OwedActions | null {
  const read = OwedActions.safeParse(owed);
  return read.success ? read.data : null;
}

/** The actions owed first (an earlier lifecycle step), then the plan's own, each action once. */
export function withOwed(owed: OwedActions | null, later: VoyadoEmbeddedAction[]): VoyadoEmbeddedAction[] {
  if (!owed) return later;
  return [...owed.actions, ...later.filter((a) => !owed.actions.some((o) => o.action === a.action))];
}

/** A retry that carries only the owed actions: the write (and any embedded action) arrived and is not sent again. */
export function retryOwed(owed: OwedActions, error: string, retryAfterMs?: number): Extract<DeliveryOutcome, { outcome: 'retry' }> {
  return { outcome: 'retry', error, remainingEvents: [], owed, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}
