// What each of a batch's outcomes does to its outbox row (gone, retried after a back-off, a dead letter), apart from how rows are claimed and sent.
import type { SqlPort, SqlTransaction } from '../state/sqlPort.ts';
import { retryDelay, type BackoffPolicy } from './backoff.ts';
import type { DeliveryOutcome } from './destination.ts';
import type { DeliveryObserver, SettledRow } from './deliveryObserver.ts';
import type { ClaimedRow, OutboxQueue } from './outboxQueue.ts';

/** How one batch's outcomes are settled. */
export interface Settling {
  /** A write of the batch went unanswered: it may still reach the store (retries are marked uncertain). */
  uncertain: boolean;
  /** The store heals a late stale write when the newest version is sent again (reassertsAfterUncertainWrites). */
  reasserts: boolean;
  now: number;
  /** The destination was fixed while the batch was out: what failed is retried at once, not after a back-off. */
  fixed: boolean;
}

/** Settles one batch: returns what each row became when an observer wants it, else undefined. */
export type SettleBatch = (rows: ClaimedRow[], outcomes: DeliveryOutcome[], how: Settling) => SettledRow[] | undefined;

/** The engine's counters a settlement adds to. */
export interface SettleStats {
  delivered: number;
  retried: number;
  deadLettered: number;
}

export interface SettlementParts {
  /** Read at each settle, as the engine's own deps are. */
  deps: { queue: OutboxQueue; observer?: DeliveryObserver };
  options: { backoff: BackoffPolicy; reassertAfterMs: number };
  stats: SettleStats;
}

/**
 * The transaction that settles a batch, built once: a transaction built per batch left ~3 KB of garbage each time
 * (better-sqlite3).
 */
export function settlingTransaction(sqlite: SqlPort, parts: SettlementParts): SqlTransaction<SettleBatch> {
  const settler = new Settler(parts);
  return sqlite.transaction(settler.settleRows.bind(settler));
}

class Settler {
  private readonly deps: SettlementParts['deps'];
  private readonly options: SettlementParts['options'];
  private readonly stats: SettleStats;

  constructor({ deps, options, stats }: SettlementParts) {
    this.deps = deps;
    this.options = options;
    this.stats = stats;
  }

  /** Each row's outcome written: gone, retried later, or a dead letter (run inside the settling transaction). */
  settleRows(rows: ClaimedRow[], outcomes: DeliveryOutcome[], { uncertain, reasserts, now, fixed }: Settling): SettledRow[] | undefined {
    const { queue } = this.deps;
    const policy = this.options.backoff;
    const done: ClaimedRow[] = [];
    // Only for an observer: the hot path without one allocates nothing per row.
    const report: SettledRow[] | undefined = this.deps.observer ? [] : undefined;
    const delivered = this.stats.delivered;
    rows.forEach((row, i) => {
      const o: DeliveryOutcome = outcomes[i] ?? engineRetry(row, 'the store gave no outcome for this item');
      if (o.outcome === 'delivered') {
        if (reasserts && row.uncertain) queue.delivered(row, now + this.options.reassertAfterMs);
        else done.push(row);
        this.stats.delivered++;
        report?.push({ row, settled: 'delivered' });
      } else if (o.outcome === 'rejected') {
        queue.deadLetter(row, o.error, now);
        this.stats.deadLettered++;
        report?.push({ row, settled: 'dead_letter', error: o.error });
      } else {
        // When the store took part of the item, a retry (or a letter) owes it only the events left.
        const rest = {
          ...row,
          events: o.remainingEvents ? JSON.stringify(o.remainingEvents) : row.events,
          owed: o.owed === undefined || o.owed === null ? null : JSON.stringify(o.owed),
        };
        if (row.attempts + 1 >= policy.maxAttempts) {
          const error = `gave up after ${row.attempts + 1} attempts: ${o.error}`;
          queue.deadLetter(rest, error, now);
          this.stats.deadLettered++;
          report?.push({ row, settled: 'dead_letter', error });
          return;
        }
        const retryAt = fixed ? now : now + retryDelay(policy, row.attempts + 1, o.retryAfterMs);
        queue.retryLater(rest, o.error, retryAt, uncertain);
        this.stats.retried++;
        report?.push({ row, settled: 'retry', error: o.error, retryAt });
      }
    });
    queue.deliveredAll(done);
    if (rows[0]) queue.tally.record(rows[0].destinationId, now, this.stats.delivered - delivered);
    return report;
  }
}

/** A retry the engine makes for a row the store never answered for: the row keeps its events and what it owed. */
export function engineRetry(row: ClaimedRow, error: string): DeliveryOutcome {
  return row.owed === null ? { outcome: 'retry', error } : { outcome: 'retry', error, owed: JSON.parse(row.owed) as unknown };
}
