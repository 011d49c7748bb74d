// The Voyado Engage orders v3 store: one order per request, each write followed to its job's end, actions after.
import type { DeliveryItem, DeliveryOutcome, DestinationContext } from '../../../src/core/delivery/destination.ts';
import {
  planVoyadoDelivery, type VoyadoEmbeddedAction, type VoyadoOrder, type VoyadoPlan,
} from '../../../mappings/stores/voyado/index.ts';
import { VoyadoClient, type VoyadoAnswer } from './client.ts';
import { readJobAnswer, waitForJob, type JobOutcome, type PollPolicy } from './jobs.ts';
import { readOwedActions, retryOwed, withOwed, type OwedActions } from './owedActions.ts';
import { planOptions, type VoyadoSettings } from './settings.ts';

/** Orders one deliver() call takes, and how many of them it follows at once. */
export const VOYADO_BATCH = 16;
const VOYADO_IN_FLIGHT = 8;

/**
 * Each order is a write plus job polls a second apart: one at a time, a lane would move about one order
 * a second. So the orders of a batch (all of different orders: the engine never batches two versions of
 * one) are followed side by side; the request pace still holds, as every request takes the paced fetch.
 */
export async function deliverToVoyado(items: DeliveryItem[], ctx: DestinationContext<VoyadoSettings>): Promise<DeliveryOutcome[]> {
  const client = new VoyadoClient({
    baseUrl: ctx.settings.baseUrl, apiKey: ctx.secret, userAgent: ctx.settings.userAgent, fetch: ctx.fetch, now: ctx.now,
  });
  const run = new Delivery(client, { intervalMs: ctx.settings.jobPollIntervalMs, maxPolls: ctx.settings.jobMaxPolls, sleep: ctx.sleep });
  const outcomes: DeliveryOutcome[] = new Array(items.length);
  let backOff: { error: string; retryAfterMs?: number } | null = null;
  const send = async (i: number): Promise<void> => {
    const item = items[i]!;
    // Once Voyado says "not now", more requests in this call only make it worse. The order was not sent: it
    // keeps its own events and what it owed, nothing of the order that met the "not now".
    if (backOff) { outcomes[i] = { outcome: 'retry', ...backOff, ...(item.owed === undefined ? {} : { owed: item.owed }) }; return; }
    let outcome: DeliveryOutcome;
    try {
      outcome = await run.item(item, ctx.settings);
    } catch (error) {
      // One order's surprise (an answer we cannot read) is its own retry: the batch's other writes are still out.
      outcome = { outcome: 'retry', error: `Voyado: ${error instanceof Error ? error.message : String(error)}`, ...(item.owed === undefined ? {} : { owed: item.owed }) };
    }
    // A job still running is no "not now" from Voyado: the other orders go on.
    if (outcome.outcome === 'retry' && !run.waitsOnJob(outcome)) {
      backOff ??= outcome.retryAfterMs === undefined ? { error: outcome.error } : { error: outcome.error, retryAfterMs: outcome.retryAfterMs };
    }
    outcomes[i] = outcome;
  };
  // The first order alone: a Voyado that is down or throttling gets one request, not a burst.
  if (items.length > 0) await send(0);
  let next = 1;
  const follow = async (): Promise<void> => {
    while (next < items.length) await send(next++);
  };
  await Promise.all(Array.from({ length: Math.min(VOYADO_IN_FLIGHT, items.length - 1) }, follow));
  return outcomes;
}

/**
 * A step's result: continue with a note, or stop with this outcome. `running`: the write's job still running
 * when the poll budget ran out (actions via /action need the stored order, so they wait for it).
 */
type Step = { ok: true; note: string; running?: Running } | { ok: false; outcome: DeliveryOutcome };
type Running = Extract<JobOutcome, { kind: 'pending' }>;
/** How to write an order whose job found it created ("already exists") or deleted ("not found") by another writer. */
const OTHER_WRITER_MODE = { alreadyExists: 'replace', notFound: 'create' } as const;
type LostEmbedded =
  | { kind: 'lost'; action: VoyadoEmbeddedAction; mode: 'create' | 'replace' }
  | { kind: 'retry'; outcome: DeliveryOutcome };

class Delivery {
  /** Retries that only wait for a write's job to end. */
  private readonly jobWaits = new WeakSet<DeliveryOutcome>();

  constructor(private readonly client: VoyadoClient, private readonly poll: PollPolicy) {}

  waitsOnJob(outcome: DeliveryOutcome): boolean {
    return this.jobWaits.has(outcome);
  }

  async item(item: DeliveryItem, settings: VoyadoSettings): Promise<DeliveryOutcome> {
    const outcome = await this.deliver(item, settings);
    // A retry that says nothing of what was owed keeps it (a failed write still owes the earlier actions).
    if (outcome.outcome === 'retry' && !('owed' in outcome) && item.owed !== undefined) return { ...outcome, owed: item.owed };
    return outcome;
  }

  private async deliver(item: DeliveryItem, settings: VoyadoSettings): Promise<DeliveryOutcome> {
    if (!item.order) return { outcome: 'delivered', detail: 'skipped: Voyado orders take orders only' };
    const plan = planVoyadoDelivery({ order: item.order, events: item.events, origin: item.origin }, planOptions(settings));
    const owed = plan.kind === 'write' || plan.kind === 'change' ? readOwedActions(item.owed) : null;
    if (owed && (plan.kind === 'write' || plan.kind === 'change')) {
      // The order whole, as a rewrite would send it (a change's fallback is the order as POST takes it).
      const whole = plan.kind === 'write' ? plan.order : plan.fallback;
      // Back only for actions the last attempt owed (its write arrived): send them, not the order again.
      if (item.events.length === 0) return this.settleOwed(owed, whole);
      // Newer events folded in: this item's write goes instead, unless the earlier write never stored the order.
      const lost = await this.lostEmbedded(owed, whole);
      if (lost?.kind === 'retry') return lost.outcome;
      if (lost) {
        // The order written whole (a status change would keep another writer's order), the lost action embedded, then
        // the owed actions and this item's own, in the order they happened.
        const own = plan.kind === 'write' ? plan.order.orderAction : plan.status.orderAction;
        const later = withOwed(owed, [...(own ? [own] : []), ...plan.laterActions]).filter((a) => a.action !== lost.action.action);
        return this.finish(plan.orderId, await this.write(lost.mode, plan.orderId, { ...whole, orderAction: lost.action }), later, lost.action);
      }
    }
    switch (plan.kind) {
      case 'skip':
        return { outcome: 'delivered', detail: `skipped: ${plan.reason}` };
      case 'reject':
        return { outcome: 'rejected', error: `not sent to Voyado: ${plan.reason}` };
      case 'delete':
        return this.remove(plan.orderId);
      case 'write':
        return this.finish(plan.orderId, await this.write(plan.mode, plan.orderId, plan.order), withOwed(owed, plan.laterActions), plan.order.orderAction);
      case 'change':
        return this.finish(plan.orderId, await this.change(plan), withOwed(owed, plan.laterActions), plan.status.orderAction);
    }
  }

  private async finish(orderId: string, step: Step, later: VoyadoEmbeddedAction[], embedded: VoyadoEmbeddedAction | undefined): Promise<DeliveryOutcome> {
    if (!step.ok) return step.outcome;
    const notes = [step.note];
    if (embedded) notes.push(`embedded ${embedded.action}`);
    if (later.length > 0 && step.running) {
      // The actions need the stored order: the item comes back for them alone once the job had time to end.
      const job = { id: step.running.jobId, path: step.running.path };
      return this.awaitJob({ orderId, job, ...(embedded ? { embedded } : {}), actions: later }, notes.join('; '));
    }
    return this.sendLater(orderId, later, notes);
  }

  /**
   * A retry's visit for owed actions: their job asked once more, then the actions sent. `whole`: the order as
   * a rewrite sends it, for a job that found the order created or deleted by another writer meanwhile.
   */
  private async settleOwed(owed: OwedActions, whole: VoyadoOrder): Promise<DeliveryOutcome> {
    const notes: string[] = [];
    if (owed.job) {
      const answer = await this.client.getJob(owed.job.path);
      if (answer.kind === 'retry') return retryOwed(owed, answer.error, answer.retryAfterMs);
      const job = readJobAnswer(owed.job.id, answer);
      if (job === null) return this.awaitJob(owed, `order ${owed.orderId} written`);
      // A job Voyado no longer knows (404, the order not named) leaves it to the order itself: the actions read it.
      const forgotten = answer.kind === 'refused' && answer.status === 404 && job.kind !== 'notFound';
      if (job.kind === 'alreadyExists' || job.kind === 'notFound') {
        // Created or deleted by another writer meanwhile: written the other way now, its embedded action again, then the rest.
        const body = owed.embedded ? { ...whole, orderAction: owed.embedded } : whole;
        const rewritten = await this.write(OTHER_WRITER_MODE[job.kind], owed.orderId, body);
        return this.finish(owed.orderId, rewritten.ok ? { ...rewritten, note: `${job.error}; ${rewritten.note}` } : rewritten, owed.actions, owed.embedded);
      }
      if (!forgotten && job.kind !== 'completed') return this.endedLate(owed.orderId, job);
      notes.push(forgotten ? `job ${owed.job.id} unknown to Voyado now` : `job ${owed.job.id} Completed`);
    }
    return this.sendLater(owed.orderId, owed.actions, notes);
  }

  /**
   * The embedded action of the write the owed actions wait on, when its job ended without storing the order
   * (another writer created or deleted it first, or it failed) and this item's write does not embed the same:
   * the job asked once, and how to write the order so it is stored. Still running: its write most likely
   * completes, as writes do.
   */
  private async lostEmbedded(owed: OwedActions, whole: VoyadoOrder): Promise<LostEmbedded | null> {
    if (!owed.job || !owed.embedded || whole.orderAction?.action === owed.embedded.action) return null;
    const answer = await this.client.getJob(owed.job.path);
    // Not known yet: nothing is sent before it is (the item keeps its events and what it owed).
    if (answer.kind === 'retry') return { kind: 'retry', outcome: { outcome: 'retry', error: `asking job ${owed.job.id}: ${answer.error}`, ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }) } };
    const job = readJobAnswer(owed.job.id, answer);
    if (job?.kind === 'alreadyExists' || job?.kind === 'notFound') return { kind: 'lost', action: owed.embedded, mode: OTHER_WRITER_MODE[job.kind] };
    return job?.kind === 'failed' ? { kind: 'lost', action: owed.embedded, mode: 'create' } : null;
  }

  private awaitJob(owed: OwedActions, done: string): DeliveryOutcome {
    const waiting = owed.actions.map((a) => a.action).join(', ');
    const error = owed.job
      ? `${done}; Voyado job ${owed.job.id} still running, ${waiting} wait${owed.actions.length === 1 ? 's' : ''} on it`
      : `${done}; ${waiting} not yet sent`;
    const outcome = retryOwed(owed, error);
    this.jobWaits.add(outcome);
    return outcome;
  }

  /** The actions through /action, in order; a retry carries only those not yet sent. */
  private async sendLater(orderId: string, later: VoyadoEmbeddedAction[], notes: string[]): Promise<DeliveryOutcome> {
    for (let i = 0; i < later.length; i++) {
      const sent = await this.sendAction(orderId, later[i]!);
      if (!sent.ok) {
        const failed = sent.outcome;
        return failed.outcome === 'retry' ? retryOwed({ orderId, job: null, actions: later.slice(i) }, failed.error, failed.retryAfterMs) : failed;
      }
      notes.push(sent.note);
    }
    return { outcome: 'delivered', detail: notes.join('; ') };
  }

  /** A write's job that ended badly only after the first poll budget. */
  private async endedLate(orderId: string, job: Extract<JobOutcome, { kind: 'completedWithErrors' | 'failed' }>): Promise<DeliveryOutcome> {
    return job.kind === 'completedWithErrors' ? this.withdraw(orderId, job.error) : { outcome: 'rejected', error: job.error };
  }

  /** POST (409 → PUT) or PUT (404 → POST), each followed to its job's end; switches at most once. */
  private async write(mode: 'create' | 'replace', orderId: string, order: VoyadoOrder): Promise<Step> {
    let current = mode;
    for (let switched = false; ; switched = true) {
      const answer = current === 'create' ? await this.client.createOrder(order) : await this.client.replaceOrder(orderId, order);
      const other = current === 'create' ? 'replace' : 'create';
      const switchOn = current === 'create' ? 409 : 404;
      if (answer.kind === 'refused' && answer.status === switchOn && !switched) { current = other; continue; }
      if (answer.kind !== 'ok') return stop(answer);
      const job = await waitForJob(this.client, answer, this.poll);
      const verb = current === 'create' ? 'created' : 'replaced';
      switch (job.kind) {
        case 'completed':
          return { ok: true, note: `${verb} order ${orderId} (job ${job.jobId ?? 'untracked'} Completed)` };
        case 'pending':
          return { ok: true, running: job, note: `${verb} order ${orderId}: job ${job.jobId} still running after ${job.polls} polls` };
        case 'alreadyExists':
          if (current === 'create' && !switched) { current = 'replace'; continue; }
          return { ok: false, outcome: { outcome: 'rejected', error: job.error } };
        case 'notFound':
          if (current === 'replace' && !switched) { current = 'create'; continue; }
          return { ok: false, outcome: { outcome: 'rejected', error: job.error } };
        case 'completedWithErrors':
          return { ok: false, outcome: await this.withdraw(orderId, job.error) };
        case 'failed':
          return { ok: false, outcome: { outcome: 'rejected', error: job.error } };
      }
    }
  }

  /** change-delivery, then change-status (which carries the action, so it fires after both). 404 → create the order whole. */
  private async change(plan: Extract<VoyadoPlan, { kind: 'change' }>): Promise<Step> {
    const notes: string[] = [];
    let running: Running | undefined;
    const requests = [
      ...(plan.delivery ? [{ name: 'change-delivery', send: () => this.client.changeDelivery(plan.orderId, plan.delivery!) }] : []),
      { name: 'change-status', send: () => this.client.changeStatus(plan.orderId, plan.status) },
    ];
    for (const request of requests) {
      const answer = await request.send();
      const unknownOrder = answer.kind === 'refused' && answer.status === 404;
      if (!unknownOrder && answer.kind !== 'ok') return stop(answer);
      const job = answer.kind === 'ok' ? await waitForJob(this.client, answer, this.poll) : null;
      if (unknownOrder || job?.kind === 'notFound') {
        const created = await this.write('create', plan.orderId, plan.fallback);
        return created.ok ? { ...created, note: `order unknown to Voyado on ${request.name}; ${created.note}` } : created;
      }
      if (!job) return stop(answer);
      if (job.kind === 'completed') notes.push(`${request.name} ${plan.orderId} (job ${job.jobId ?? 'untracked'} Completed)`);
      else if (job.kind === 'pending') { running = job; notes.push(`${request.name} ${plan.orderId}: job ${job.jobId} still running after ${job.polls} polls`); }
      else return { ok: false, outcome: { outcome: 'rejected', error: job.error } };
    }
    return running ? { ok: true, running, note: notes.join('; ') } : { ok: true, note: notes.join('; ') };
  }

  /**
   * Seed: an order stored without its contact cannot be acted on; "delete the order and create the contact
   * first. Then you can try registering the order again." We delete it; the letter tells the owner the rest.
   */
  private async withdraw(orderId: string, jobError: string): Promise<DeliveryOutcome> {
    const removed = await this.remove(orderId);
    const next = 'create the contact in Engage, then replay this letter';
    return removed.outcome === 'delivered'
      ? { outcome: 'rejected', error: `${jobError} — the order was deleted again, as Voyado asks; ${next}` }
      : { outcome: 'rejected', error: `${jobError} — deleting the order failed (${removed.error}); delete order ${orderId} in Engage, ${next}` };
  }

  private async remove(orderId: string): Promise<DeliveryOutcome> {
    const answer = await this.client.deleteOrder(orderId);
    if (answer.kind === 'refused' && answer.status === 404) return { outcome: 'delivered', detail: `order ${orderId} already absent in Voyado` };
    if (answer.kind !== 'ok') return outcomeOf(answer);
    const job = await waitForJob(this.client, answer, this.poll);
    switch (job.kind) {
      case 'completed':
        return { outcome: 'delivered', detail: `deleted order ${orderId} (job ${job.jobId ?? 'untracked'} Completed)` };
      case 'pending':
        return { outcome: 'delivered', detail: `deleted order ${orderId}: job ${job.jobId} still running after ${job.polls} polls` };
      case 'notFound':
        return { outcome: 'delivered', detail: `order ${orderId} already absent in Voyado` };
      default:
        return { outcome: 'rejected', error: job.error };
    }
  }

  /** POST /orders/{id}/action with the current versionTag; a 404 means the tag went stale, so fetch it again once. */
  private async sendAction(orderId: string, action: VoyadoEmbeddedAction): Promise<Step> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const current = await this.client.getOrder(orderId);
      if (current.kind !== 'ok') return stop(current);
      const versionTag = (current.body as { versionTag?: unknown } | null)?.versionTag;
      if (typeof versionTag !== 'string' || !versionTag) {
        return { ok: false, outcome: { outcome: 'rejected', error: `Voyado GET /orders/${orderId} returned no versionTag; ${action.action} not sent` } };
      }
      const answer = await this.client.triggerAction(orderId, { ...action, versionTag });
      if (answer.kind === 'ok') return { ok: true, note: `action ${action.action}${attempt > 1 ? ' (after refetching a stale versionTag)' : ''}` };
      if (answer.kind === 'refused' && answer.status === 404 && attempt === 1) continue;
      if (answer.kind === 'refused' && answer.status === 422) {
        return { ok: false, outcome: { outcome: 'rejected', error: `${answer.error} — ${action.action} needs a contact on the order` } };
      }
      return stop(answer);
    }
    throw new Error('unreachable: the loop returns');
  }
}

function outcomeOf(answer: Exclude<VoyadoAnswer, { kind: 'ok' }>): DeliveryOutcome {
  if (answer.kind === 'refused') return { outcome: 'rejected', error: answer.error };
  return answer.retryAfterMs === undefined
    ? { outcome: 'retry', error: answer.error }
    : { outcome: 'retry', error: answer.error, retryAfterMs: answer.retryAfterMs };
}

function stop(answer: VoyadoAnswer): Step {
  if (answer.kind === 'ok') return { ok: false, outcome: { outcome: 'retry', error: `unexpected Voyado answer ${answer.status}` } };
  return { ok: false, outcome: outcomeOf(answer) };
}

/** The budget is per API key; the key itself never becomes a map key someone could print. */
export function voyadoRateGroup(_settings: VoyadoSettings, secret: string): string {
  return `key-${fnv1a(secret)}`;
}

/** FNV-1a 32-bit, hex: a stable, non-reversible-enough tag for grouping by API key. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
