// How a batch reaches its destination (settings and secret opened once per row, requests paced, deadlined and traced), apart from what the engine does with the answers.
import type { Clock } from '../clock.ts';
import { rowSettings } from '../shops/destinations.ts';
import type { DestinationRow } from '../shops/registry.ts';
import type { SecretBox } from '../state/secretBox.ts';
import type { DestinationContext, StoreDefinition } from './destination.ts';
import type { LaneSizer } from './laneSizer.ts';
import { defaultSleep, keyRateGroup, rateGroupKey, RequestPacer } from './pacer.ts';
import type { RequestDeadlines } from './requestDeadlines.ts';
import { neverSent, withoutEchoedSecret, type StoreFetch } from './storeHttp.ts';

/** What a batch's requests did, as they went. */
export interface BatchTrace {
  /** A request of this batch failed without an answer: it may still reach the store. */
  unanswered: boolean;
  /** Requests made (a store of events makes one per item; a batching store one per batch). */
  requests: number;
  /** Milliseconds during which a request of the batch waited for its pacer's turn (overlapping waits counted once). */
  pacedMs: number;
  /** Requests waiting for a turn now, and since when one has been. */
  waiting: number;
  waitingSince: number;
}

export interface Target {
  store: StoreDefinition<unknown>;
  ctx: DestinationContext<unknown>;
  trace: BatchTrace;
}

/** The engine's deps a target is made from (read at each batch, as the engine's own are). */
export interface TargetDeps {
  secrets: SecretBox;
  clock: Clock;
  fetch?: StoreFetch;
  timedFetch?: (timeoutMs: number) => StoreFetch;
  sleep?: (ms: number) => Promise<void>;
}

/** A destination's settings and secret, ready for batches. */
interface Opened {
  settings: unknown;
  secret: string;
  perSecond: number | null;
  group: string;
}

/** Makes each batch's destination context: its store's settings and secret, and a fetch through the destination's pacer. */
export class BatchTargets {
  private readonly pacer: RequestPacer;
  private readonly openedRows = new WeakMap<DestinationRow, Promise<Opened | { error: string }>>();

  /** `laneSizer` is told each destination's ceiling as it is opened. */
  constructor(private readonly deps: TargetDeps, private readonly laneSizer: LaneSizer) {
    this.pacer = new RequestPacer(() => deps.clock.now(), deps.sleep ?? defaultSleep);
  }

  async target(
    destination: DestinationRow, store: StoreDefinition<unknown>, trace: BatchTrace, deadlines: RequestDeadlines,
  ): Promise<Target | { error: string }> {
    const opened = await this.opened(destination, store);
    if ('error' in opened) return opened;
    const { settings, secret, perSecond, group } = opened;
    const timed = this.deps.timedFetch?.(store.timeoutMs);
    const baseFetch: StoreFetch = this.deps.fetch ?? globalThis.fetch;
    const pacedFetch: StoreFetch = async (url, init) => {
      // The destination's ceiling bounds all its requests: a lowered one slows those in another kind's budget too, a lifted one (0) lifts it.
      const turn = await waitedAtPacer(trace, init.budget && perSecond
        ? this.pacer.take(rateGroupKey(init.budget.kind, init.budget.group), Math.min(perSecond, init.budget.perSecond))
        : this.pacer.take(group, perSecond));
      trace.requests++;
      try {
        // A deadline also covers reading the answer: it runs until the batch is done.
        // Its answer marks when the store had counted it, for the pacer's window (on Node the answer is read whole first: later, never earlier).
        const answer = await (timed ? timed(url, init) : baseFetch(url, { ...init, signal: deadlines.signal(init.signal) })).finally(() => turn.answered());
        return secret === '' ? answer : withoutEchoedSecret(answer, secret);
      } catch (error) {
        // Only an unanswered write can land late; a lost read (job poll, versionTag) changes nothing, nor does
        // a write that never left (no connection: refused, unknown host; a connect timeout of the Node pools).
        const method = (init.method ?? 'GET').toUpperCase();
        if (method !== 'GET' && method !== 'HEAD' && !neverSent(error)) trace.unanswered = true;
        throw error;
      }
    };
    return {
      store,
      trace,
      ctx: { settings, secret, fetch: pacedFetch, now: () => this.deps.clock.now(), sleep: this.deps.sleep ?? defaultSleep },
    };
  }

  /**
   * Settings checked and secret opened once per destination row, not per batch (a store of batches of
   * one would decrypt per order). The registry hands out a new row when a destination changes.
   */
  private opened(destination: DestinationRow, store: StoreDefinition<unknown>): Promise<Opened | { error: string }> {
    let opened = this.openedRows.get(destination);
    if (!opened) {
      opened = this.open(destination, store);
      this.openedRows.set(destination, opened);
      // A failed decrypt is not kept: the next batch tries again.
      opened.catch(() => this.openedRows.delete(destination));
    }
    return opened;
  }

  private async open(destination: DestinationRow, store: StoreDefinition<unknown>): Promise<Opened | { error: string }> {
    const read = rowSettings(store, destination);
    if (!read.ok) return { error: read.message };
    const { settings } = read;
    const secret = destination.secretSealed ? await this.deps.secrets.open(destination.secretSealed) : '';
    // 0 lifts the ceiling (benchmarks, a store with a raised quota); null keeps the store's default.
    const fromSettings = (settings as { requestsPerSecond?: unknown } | null)?.requestsPerSecond;
    const ceiling = destination.requestsPerSecond ?? (typeof fromSettings === 'number' ? fromSettings : store.requestsPerSecond);
    // Without a rateGroup of its own, a store's budget is its key's: destinations sharing one key share the vendor's limit.
    const group = store.rateGroup ? rateGroupKey(store.kind, store.rateGroup(settings, secret))
      : secret ? rateGroupKey(store.kind, await keyRateGroup(secret)) : destination.id;
    this.laneSizer.opened(destination.id, ceiling || null);
    return { settings, secret, perSecond: ceiling || null, group };
  }
}

/** A request's turn at the pacer, its wait added to the batch's `pacedMs` (the waits of requests out at once counted once). */
async function waitedAtPacer<T>(trace: BatchTrace, turn: Promise<T>): Promise<T> {
  if (trace.waiting++ === 0) trace.waitingSince = performance.now();
  try {
    return await turn;
  } finally {
    if (--trace.waiting === 0) trace.pacedMs += performance.now() - trace.waitingSince;
  }
}
