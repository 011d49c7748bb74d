import type { Clock } from '../clock.ts';
import { destinationChange, type DestinationRow, type ShopRegistry } from '../shops/registry.ts';
import type { SecretBox } from '../state/secretBox.ts';
import type { SqlPort, SqlTransaction } from '../state/sqlPort.ts';
import type { WriteGate } from '../state/writeGate.ts';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { BatchTargets, type BatchTrace, type Target } from './batchTarget.ts';
import type { DeliveryItem, DeliveryOutcome, StoreDefinition } from './destination.ts';
import type { DeliveryLease } from './deliveryLease.ts';
import type { DeliveryObserver, SettledRow } from './deliveryObserver.ts';
import { isStorageFault } from '../state/storageFault.ts';
import { FaultPause } from './faultPause.ts';
import type { Preparer } from './preparation.ts';
import { OutboxQueue, readsCurrentOrder, toDeliveryItem, type ClaimedRow } from './outboxQueue.ts';
import { LaneSizer } from './laneSizer.ts';
import { defaultSleep } from './pacer.ts';
import { RequestDeadlines } from './requestDeadlines.ts';
import { engineRetry, settlingTransaction, type SettleBatch } from './settlement.ts';
import { storedError } from './storedError.ts';
import type { StoreFetch } from './storeHttp.ts';
import type { StoreCatalog } from './storeCatalog.ts';

export interface DeliveryOptions {
  backoff: BackoffPolicy;
  /** How often due rows are looked for when nothing nudges the engine. */
  pollMs: number;
  /** Batches of one destination in flight at once (order per order key is kept regardless); a paced destination may get more. */
  lanesPerDestination: number;
  /**
   * A paced destination gets enough lanes for its pacer, not a lane's round trip, to set the pace (see LaneSizer): a full
   * batch's own time is counted as at least this (an event loop's hiccup, a slow settle). 0: never more than lanesPerDestination.
   */
  laneRoundTripMs: number;
  maxLanesPerDestination: number;
  /** After an attempt with unknown outcome, how long to wait before resending the newest version (see reassertsAfterUncertainWrites). */
  reassertAfterMs: number;
  /** How long after an ingest commit the engine looks for work (lets webhooks pile into one batch). */
  nudgeDelayMs: number;
  /** After a failed claim or settle (the disk full), the first pause; each further one doubles, up to `faultPauseMaxMs`. */
  faultPauseMs: number;
  faultPauseMaxMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  backoff: DEFAULT_BACKOFF, pollMs: 250, lanesPerDestination: 2, laneRoundTripMs: 50, maxLanesPerDestination: 64, nudgeDelayMs: 10, reassertAfterMs: 60_000, faultPauseMs: 1_000, faultPauseMaxMs: 30_000,
};

export interface DeliveryDeps {
  sqlite: SqlPort;
  queue: OutboxQueue;
  shops: ShopRegistry;
  stores: StoreCatalog;
  secrets: SecretBox;
  clock: Clock;
  /** While held (a checkpoint finishing), batches wait before delivering and before settling. */
  gate?: WriteGate;
  /** Present when other processes may open the same database: only the lease's holder claims rows. */
  lease?: DeliveryLease;
  /** Runs stores' preparations off the event loop (the Node runtime's worker thread); without it deliver prepares inline. */
  preparer?: Preparer;
  /** How requests reach stores (default: the global fetch), with the engine's per-request deadlines... */
  fetch?: StoreFetch;
  /** ...or a client per timeout that gives up on its own (the Node runtime's StoreConnections): no AbortSignal per request. */
  timedFetch?: (timeoutMs: number) => StoreFetch;
  sleep?: (ms: number) => Promise<void>;
  options?: Partial<DeliveryOptions>;
  /** Told each settled batch (logs, metrics); without one the engine builds no report. */
  observer?: DeliveryObserver;
}

/** Moves outbox rows to their stores: claim, batch, deliver, settle each outcome. */
export class DeliveryEngine {
  private readonly options: DeliveryOptions;
  /** Each batch's way to its destination: settings and secret opened once per row, requests through the pacer. */
  private readonly targets: BatchTargets;
  private readonly lanes = new Map<string, number>();
  /** Lanes each destination may have, once its pace and its requests a batch are known; lanesPerDestination until then. */
  private readonly laneSizer: LaneSizer;
  private readonly active = new Set<Promise<void>>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private scanning = false;
  private rescan = false;
  private nudged = false;
  private readonly paused: FaultPause;
  /** Counters since start, for /health and benchmarks. */
  readonly stats = { delivered: 0, retried: 0, deadLettered: 0, batches: 0 };

  /** Built once (see settlingTransaction); a field of its own so bench/commitPath can time it. */
  private readonly settleAll: SqlTransaction<SettleBatch>;

  constructor(private readonly deps: DeliveryDeps) {
    this.options = { ...DEFAULT_DELIVERY, ...deps.options, backoff: { ...DEFAULT_BACKOFF, ...deps.options?.backoff } };
    this.settleAll = settlingTransaction(deps.sqlite, { deps, options: this.options, stats: this.stats });
    this.paused = new FaultPause(this.options.faultPauseMs, this.options.faultPauseMaxMs);
    this.laneSizer = new LaneSizer(this.options);
    this.targets = new BatchTargets(deps, this.laneSizer);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.deps.queue.releaseClaims();
    this.nudge();
  }

  /** Called after every ingest commit: look for due rows at the next turn rather than at the next poll. */
  nudge(): void {
    if (!this.running || this.nudged) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    // Commits arriving within a few milliseconds make one scan and bigger batches, not a claim per webhook.
    this.nudged = true;
    setTimeout(() => {
      this.nudged = false;
      if (this.running) this.scan();
    }, this.options.nudgeDelayMs);
  }

  /** Stops claiming; resolves when the batches in flight are settled. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
    try {
      this.deps.lease?.release();
    } catch {
      // The disk full: the lease lapses on its own, and the next start takes it over.
    }
  }

  /**
   * Delivers until the outbox is empty or holds only dead-end rows (tests, CLI, benchmarks); waits out
   * back-offs. Returns at once when another process holds the delivery lease.
   */
  async drain(): Promise<void> {
    const wasRunning = this.running;
    this.running = true;
    try {
      for (;;) {
        if (!this.holdsLease()) break;
        this.scan();
        if (this.active.size > 0) {
          await Promise.allSettled([...this.active]);
          continue;
        }
        const next = this.deps.queue.nextDueAt(this.deps.shops.allEnabledDestinations().map((d) => d.id));
        if (next === null) break;
        await (this.deps.sleep ?? defaultSleep)(Math.max(1, next - this.deps.clock.now(), this.pausedFor()));
      }
    } finally {
      this.running = wasRunning;
    }
  }

  /**
   * Delivers what is due now, once each batch is settled, and returns when the next row comes due (null: none waits).
   * For a runtime woken by an alarm (a Durable Object), which sets its next alarm from the answer instead of polling.
   */
  async deliverDue(): Promise<number | null> {
    const wasRunning = this.running;
    this.running = true;
    try {
      for (;;) {
        this.scan();
        if (this.active.size === 0) break;
        await Promise.allSettled([...this.active]);
      }
    } finally {
      this.running = wasRunning;
      if (!wasRunning && this.timer) clearTimeout(this.timer);
      if (!wasRunning) this.timer = null;
    }
    const next = this.deps.queue.nextDueAt(this.deps.shops.allEnabledDestinations().map((d) => d.id));
    return next === null ? null : Math.max(next, this.paused.endsAt);
  }

  /**
   * Whether this process may claim rows: always, unless another process holds the delivery lease. Taken from one
   * that never released it (kill -9, a lapsed lease), what that one could have had in flight counts as unanswered
   * (see reassertsAfterUncertainWrites): a write the store holds may still land after a newer version.
   */
  private holdsLease(): boolean {
    const { lease } = this.deps;
    if (!lease) return true;
    if (!lease.holds(this.deps.clock.now())) return false;
    const gone = lease.takeUnreleased();
    if (gone) this.deps.queue.inheritUnsettled(gone.expiresAt);
    return true;
  }

  private scan(): void {
    const paused = this.pausedFor();
    if (paused > 0) return this.schedule(paused);
    try {
      // Another process delivers: look again at the next poll (it may stop or vanish), whatever is due.
      if (!this.holdsLease()) return this.schedule(this.options.pollMs);
      this.claimDue();
    } catch (error) {
      // Renewing the lease writes: a full disk must pause delivery, not end the process from a timer.
      this.faulted('claim', error, 0);
      return this.schedule(this.pausedFor());
    }
    this.schedule();
  }

  private claimDue(): void {
    this.scanning = true;
    try {
      do {
        this.rescan = false;
        const now = this.deps.clock.now();
        for (const { id: destinationId } of this.deps.shops.allEnabledDestinations()) {
          const limit = this.laneSizer.limit(destinationId);
          if ((this.lanes.get(destinationId) ?? 0) >= limit) continue;
          if (!this.deps.queue.hasDue(destinationId, now)) continue;
          // Another lane only when this one's batch came back full: a short batch took every due row.
          while ((this.lanes.get(destinationId) ?? 0) < limit) {
            if (this.startLane(destinationId) !== 'full') break;
          }
        }
      } while (this.rescan && this.running);
    } finally {
      this.scanning = false;
    }
  }

  /** Milliseconds left of a pause after a failed claim or settle (0: none). */
  private pausedFor(): number {
    return this.paused.left(this.deps.clock.now());
  }

  /** A claim or settle failed: told to the observer, and nothing more is claimed for a while (doubling while it lasts). */
  private faulted(during: 'claim' | 'settle', error: unknown, rows: number): void {
    this.paused.failed(this.deps.clock.now());
    this.deps.observer?.engineFaulted?.({
      during, error: error instanceof Error ? error.message : String(error), storage: isStorageFault(error), retryInMs: this.pausedFor(), rows,
    });
  }

  private resume(): void {
    if (this.scanning) this.rescan = true;
    else this.scan();
  }

  /** Looks for work again when the next row is due (at the latest after a poll), or after `waitMs` when given. */
  private schedule(waitMs?: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    let wait = waitMs;
    if (wait === undefined) {
      const next = this.deps.queue.nextDueAt(this.deps.shops.allEnabledDestinations().map((d) => d.id));
      wait = next === null ? this.options.pollMs : Math.min(this.options.pollMs, Math.max(0, next - this.deps.clock.now()));
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nudge();
    }, wait);
    this.timer.unref?.();
  }

  /** Claims one batch synchronously (so lanes never claim the same rows) and delivers it in the background. */
  private startLane(destinationId: string): 'none' | 'short' | 'full' {
    const destination = this.deps.shops.destination(destinationId);
    const store = destination && this.deps.stores.get(destination.kind);
    if (!destination || !store) return 'none';
    const rows = this.deps.queue.claim(destinationId, this.deps.clock.now(), store.batchSize);
    if (rows.length === 0) return 'none';
    this.lanes.set(destinationId, (this.lanes.get(destinationId) ?? 0) + 1);
    const lane = this.runBatch(destination, store, rows).finally(() => {
      this.lanes.set(destinationId, (this.lanes.get(destinationId) ?? 1) - 1);
      this.active.delete(lane);
      if (!this.running) return;
      // A full batch means a backlog: claim the next at once. Otherwise wait the nudge delay, so live
      // webhooks gather into one batch rather than a claim each.
      if (rows.length === store.batchSize) this.resume();
      else this.nudge();
    });
    this.active.add(lane);
    return rows.length === store.batchSize ? 'full' : 'short';
  }

  private async runBatch(destination: DestinationRow, store: StoreDefinition<unknown>, rows: ClaimedRow[]): Promise<void> {
    this.stats.batches++;
    const startedAt = performance.now();
    let outcomes: DeliveryOutcome[];
    const trace: BatchTrace = { unanswered: false, requests: 0, pacedMs: 0, waiting: 0, waitingSince: 0 };
    const deadlines = new RequestDeadlines(store.timeoutMs);
    let secret = '';
    try {
      const target = await this.targets.target(destination, store, trace, deadlines);
      if ('error' in target) {
        // The destination's settings, not the orders: they wait for the fix (DELIVERY_MAX_ATTEMPTS still applies).
        outcomes = rows.map((row) => engineRetry(row, target.error));
      } else {
        secret = target.ctx.secret;
        const items = await this.items(rows, target);
        await this.writable(); // the local store writes while delivering
        outcomes = await target.store.deliver(items, target.ctx);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes = rows.map((row) => engineRetry(row, message));
    } finally {
      deadlines.clear();
    }
    // Full batches only: they are the backlog lanes are for (a batching store's short batch makes a request of one row too).
    // And only those every item of which got a verdict: a batch that failed early (a contact import down) made fewer requests
    // than it will once the store is back, and one waiting out timeouts took longer; either would open lanes for nothing.
    if (rows.length === store.batchSize && outcomes.every((o) => o.outcome !== 'retry')) {
      this.laneSizer.counted(destination.id, trace.requests, performance.now() - startedAt - trace.pacedMs);
    }
    // Kept for operators to read: bounded, and never the key a store echoed back.
    outcomes = outcomes.map((o) => (o.outcome === 'delivered' ? o : { ...o, error: storedError(o.error, secret) }));
    await this.writable();
    // Write lock first: another process sharing the file cannot make it fail half-way (SQLITE_BUSY).
    const now = this.deps.clock.now();
    const stats = { ...this.stats };
    let settled: SettledRow[] | undefined;
    try {
      settled = this.settleAll.immediate(rows, outcomes, {
        uncertain: trace.unanswered, reasserts: store.reassertsAfterUncertainWrites === true, now, fixed: this.changedSince(destination),
      });
    } catch (error) {
      // The disk full: the transaction rolled back, so the rows are as they were, due again once the pause ends.
      Object.assign(this.stats, stats);
      this.deps.queue.unsettled(rows, { uncertain: trace.unanswered });
      this.faulted('settle', error, rows.length);
      return;
    }
    this.paused.clear();
    if (settled) this.deps.observer?.batchSettled({ destinationId: destination.id, store: store.kind, rows: settled, ms: performance.now() - startedAt, now });
  }

  /** The rows as the store sees them, prepared on the preparation worker when the store has a preparation. */
  private async items(rows: ClaimedRow[], target: Target): Promise<DeliveryItem[]> {
    let current: Map<string, string> | undefined;
    const loadCurrent = () => (current ??= this.deps.queue.currentOrders(rows.filter(readsCurrentOrder).map((r) => r.orderKey)));
    const items = rows.map((row) => toDeliveryItem(row, loadCurrent));
    const preparer = this.deps.preparer;
    if (!preparer?.handles(target.store.kind)) return items;
    // The worker reads order rows' newest versions itself: no canonical JSON crosses this thread.
    const inputs = rows.map((row, i) => ({
      order: row.order, current: readsCurrentOrder(row) ? row.orderKey : null, events: items[i]!.events, origin: row.origin,
    }));
    const results = await preparer.prepare(target.store.kind, target.ctx.settings, inputs, target.ctx.now());
    items.forEach((item, i) => (item.prepared = results[i]));
    return items;
  }

  private async writable(): Promise<void> {
    const held = this.deps.gate?.held;
    if (held) await held;
  }

  /**
   * The destination's store, settings or key changed while the batch was out (a re-POST made its waiting rows
   * due at once, but not these): what failed under the old ones is tried again at once, not after a back-off.
   */
  private changedSince(claimedFor: DestinationRow): boolean {
    return destinationChange(claimedFor, this.deps.shops.destination(claimedFor.id)) !== 'none';
  }
}
