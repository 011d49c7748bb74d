import { eq, sql } from 'drizzle-orm';
import { createdFirst, type Customer, type EventType, type Order } from '../canonical/index.ts';
import { currentOrderOf, currentOrdersOf, type CurrentOrders } from '../state/currentOrders.ts';
import { unpackOrder } from '../state/packedOrder.ts';
import type { Db, SqlPort } from '../state/sqlPort.ts';
import { outbox } from '../state/schema.ts';
import type { DestinationChange } from '../shops/registry.ts';
import type { DeliveryItem } from './destination.ts';
import { DeliveryTally } from './deliveryTally.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * A row as claimed: what delivering and settling it needs. `order` is only a carried copy (a replayed
 * letter's); an order row (order and customer null) delivers the newest version in `orders`, read by
 * whoever prepares the batch, so the claim itself moves no canonical JSON.
 */
export type ClaimedRow = Pick<OutboxRow, 'id' | 'destinationId' | 'orderKey' | 'events' | 'order' | 'customer' | 'sourceUpdatedAt' | 'origin' | 'attempts' | 'uncertain' | 'owed' | 'firstSeen' | 'createdAt'>;

/** An order row delivers the newest version in `orders` rather than a copy of its own. */
export const readsCurrentOrder = (row: Pick<OutboxRow, 'order' | 'customer'>): boolean => row.order === null && row.customer === null;

// The admin listing shows each order row with the version it would deliver now (`cur` joins order rows only; packed).
const LIST_COLUMNS = `o.id, o.destination_id, o.order_key, o.events, o."order", o.customer,
  o.source_updated_at, o.origin, o.attempts, o.next_attempt_at, o.last_error, o.uncertain, o.created_at, o.owed, o.first_seen, cur.canonical`;

/**
 * The admin listings in id order from a cursor: every row (the table's own b-tree), or one destination's (its
 * index), never a scan of a backlog. Counts stop at a cap.
 */
export const OUTBOX_LISTINGS = {
  all: `SELECT ${LIST_COLUMNS} FROM outbox o LEFT JOIN orders cur ON o."order" IS NULL AND o.customer IS NULL AND cur.key = o.order_key
    WHERE o.id > @after ORDER BY o.id LIMIT @limit`,
  ofDestination: `SELECT ${LIST_COLUMNS} FROM outbox o INDEXED BY outbox_destination
    LEFT JOIN orders cur ON o."order" IS NULL AND o.customer IS NULL AND cur.key = o.order_key
    WHERE o.destination_id = @destination AND o.id > @after ORDER BY o.id LIMIT @limit`,
  countAll: 'SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT @cap)',
  countOfDestination: 'SELECT count(*) FROM (SELECT 1 FROM outbox WHERE destination_id = @destination LIMIT @cap)',
} as const;

// Claimed ids live in JavaScript; SQLite asks this function per candidate row (a JSON list of 750 ids cost 3x more).
// A runtime without SQL functions (a Durable Object) is handed the list instead.
const claimedByConnection = new WeakMap<SqlPort, Set<number>>();
function claimedIdsOf(sqlite: SqlPort): { ids: Set<number>; askedBySql: boolean } {
  let ids = claimedByConnection.get(sqlite);
  if (!ids) {
    const set = (ids = new Set());
    claimedByConnection.set(sqlite, set);
    sqlite.function?.('outbox_claimed', { deterministic: false }, (id) => (set.has(id as number) ? 1 : 0));
  }
  return { ids, askedBySql: sqlite.function !== undefined };
}

/**
 * The outbox as the delivery engine sees it: claim due rows in order, settle each outcome.
 * Claims live in memory, not in the row: one engine owns a database, a claim costs no write, and
 * after a crash nothing is left claimed.
 */
export class OutboxQueue {
  /** Prepared once: the statements this class runs. */
  private readonly statements;
  /** Claimed row ids (of every destination: ids are unique), until settled. Shared by the queues of one connection. */
  private readonly claimed: Set<number>;
  /** Whether the claim asks outbox_claimed(); otherwise it is handed the claimed ids as a JSON list. */
  private readonly claimedAskedBySql: boolean;
  /** The newest canonical JSON of order keys, for batches prepared on this thread. */
  readonly currentOrders: CurrentOrders;
  /** What a deliverer that stopped unsettled may have had in flight (inheritUnsettled); a later take-over covers an earlier. */
  private inherited: Inherited | null = null;
  /** Rows whose batch could not be settled after a write went unanswered: claimed again, they count as uncertain. */
  private readonly unsettledUncertain = new Set<number>();
  private readonly currentOrder: (key: string) => string | null;
  /** Deliveries per destination and minute, counted as batches settle. */
  readonly tally: DeliveryTally;

  constructor(private readonly db: Db) {
    const p = sql.placeholder;
    const claimed = claimedIdsOf(db.$client);
    this.claimed = claimed.ids;
    this.claimedAskedBySql = claimed.askedBySql;
    this.currentOrders = currentOrdersOf(db.$client);
    this.currentOrder = currentOrderOf(db.$client);
    this.tally = new DeliveryTally(db);
    this.statements = {
      // Raw statement: compiled once; drizzle would rebuild this subquery on every claim.
      // A claimed row still blocks the later rows of its order (NOT EXISTS), so versions stay in order.
      claim: db.$client.prepare(`SELECT o.id, o.order_key, o.events, o."order", o.customer, o.source_updated_at, o.origin, o.attempts, o.uncertain, o.owed, o.first_seen,
          o.next_attempt_at, o.created_at
        FROM outbox o INDEXED BY outbox_due
        WHERE o.destination_id = ? AND o.next_attempt_at <= ?
          AND ${claimed.askedBySql ? 'NOT outbox_claimed(o.id)' : 'o.id NOT IN (SELECT value FROM json_each(?))'}
          AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.destination_id = o.destination_id
                          AND e.order_key = o.order_key AND e.id < o.id)
        ORDER BY o.next_attempt_at, o.id LIMIT ?`).raw(true),
      listAll: db.$client.prepare(OUTBOX_LISTINGS.all).raw(true),
      listOf: db.$client.prepare(OUTBOX_LISTINGS.ofDestination).raw(true),
      // A letter keeps the version that failed, so a replay can still send it after the order is gone (shop/redact).
      deadLetter: db.$client.prepare(`INSERT INTO dead_letters (destination_id, order_key, events, "order", customer, source_updated_at, origin, attempts, error, first_seen, created_at)
        VALUES (@destinationId, @orderKey, @events, @order, @customer, @sourceUpdatedAt, @origin, @attempts, @error, @firstSeen, @now)`),
      countAll: db.$client.prepare(OUTBOX_LISTINGS.countAll).pluck(),
      countOf: db.$client.prepare(OUTBOX_LISTINGS.countOfDestination).pluck(),
      oldest: db.$client.prepare('SELECT created_at FROM outbox ORDER BY id LIMIT 1').pluck(),
      // Among the rows due last (a failing store has pushed its retries furthest out), the first retried one;
      // a window, not the whole queue, so a large healthy backlog costs no scan.
      dueLast: db.$client.prepare(`SELECT attempts, lastError, nextAttemptAt FROM (
          SELECT attempts, last_error AS lastError, next_attempt_at AS nextAttemptAt FROM outbox INDEXED BY outbox_due
          WHERE destination_id = ? ORDER BY next_attempt_at DESC LIMIT 200)
        WHERE attempts > 0 LIMIT 1`),
      hasDue: db.$client.prepare('SELECT 1 FROM outbox WHERE destination_id = ? AND next_attempt_at <= ? LIMIT 1'),
      beginsAgain: db.$client.prepare(`UPDATE outbox SET first_seen = 1 WHERE id IN
        (SELECT min(id) FROM outbox WHERE destination_id = ? GROUP BY order_key)`),
      // Rows that failed (attempts > 0), not the resends an uncertain write scheduled to land after it on purpose.
      dueNow: db.$client.prepare('UPDATE outbox SET next_attempt_at = ? WHERE destination_id = ? AND attempts > 0 AND next_attempt_at > ?'),
      nextDue: db.$client.prepare('SELECT min(next_attempt_at) AS at FROM outbox WHERE destination_id = ?'),
      deleteMany: db.$client.prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))'),
      later: db.$client.prepare(`SELECT id, events, origin, source_updated_at AS sourceUpdatedAt, first_seen AS firstSeen FROM outbox
        WHERE destination_id = ? AND order_key = ? AND id > ? AND customer IS NULL AND "order" IS NULL ORDER BY id`),
      fold: db.$client.prepare('UPDATE outbox SET origin = ?, source_updated_at = ?, first_seen = max(first_seen, ?) WHERE id = ?'),
      // One scheduled resend per order: an earlier one still waiting would hold a newer version behind it (claims go in id order).
      dropScheduledResends: db.$client.prepare(`DELETE FROM outbox WHERE destination_id = ? AND order_key = ? AND origin = 'replay' AND events = '[]'
        AND attempts = 0 AND "order" IS NULL AND customer IS NULL`),
      // A replay with no events: the newest state again (a replace, not a create), never a lifecycle action twice.
      reassert: db.$client.prepare(`INSERT INTO outbox (destination_id, order_key, events, "order", customer, source_updated_at, origin, attempts, next_attempt_at, created_at)
        VALUES (@destinationId, @orderKey, '[]', NULL, NULL, @sourceUpdatedAt, 'replay', 0, @at, @at)`),
      lastId: db.$client.prepare('SELECT max(id) FROM outbox').pluck(),
      exists: db.$client.prepare('SELECT 1 FROM outbox WHERE id = ?').pluck(),
      // Through the port: it counts the rows it removed on every runtime (drizzle's run() answers as its driver does).
      delete: db.$client.prepare('DELETE FROM outbox WHERE id = @id'),
      retry: db.update(outbox).set({ attempts: sql`${p('attempts')}`, nextAttemptAt: sql`${p('at')}`, lastError: sql`${p('error')}`, uncertain: sql`${p('uncertain')}`, events: sql`${p('events')}`, owed: sql`${p('owed')}` })
        .where(eq(outbox.id, p('id'))).prepare(),
    };
  }

  /**
   * Claims up to `limit` due rows of one destination. A row is only due when no earlier row of the
   * same order is still queued or in flight, so versions of one order reach a store in order.
   */
  claim(destinationId: string, now: number, limit: number): ClaimedRow[] {
    const found = this.claimedAskedBySql
      ? this.statements.claim.all(destinationId, now, limit)
      : this.statements.claim.all(destinationId, now, JSON.stringify([...this.claimed]), limit);
    const rows = (found as ClaimedColumns[]).map((c) => toClaimedRow(destinationId, c, this.inherited)).sort((a, b) => a.id - b.id);
    for (const row of rows) if (this.unsettledUncertain.has(row.id)) row.uncertain = true;
    for (const row of rows) this.claimed.add(row.id);
    return rows;
  }

  isClaimed(id: number): boolean {
    return this.claimed.has(id);
  }

  private release(row: ClaimedRow): void {
    this.claimed.delete(row.id);
    this.unsettledUncertain.delete(row.id);
  }

  /**
   * A batch whose settling failed (the disk full: the transaction rolled back, nothing of it written): its rows are due
   * again as they were (stores upsert, so the resend is safe). `uncertain`: a write of it went unanswered, as retryLater's.
   */
  unsettled(rows: ClaimedRow[], { uncertain }: { uncertain: boolean }): void {
    for (const row of rows) {
      this.claimed.delete(row.id);
      if (uncertain || row.uncertain) this.unsettledUncertain.add(row.id);
    }
  }

  /** Settles many delivered rows in one statement. */
  deliveredAll(rows: ClaimedRow[]): void {
    for (const row of rows) this.release(row);
    if (rows.length > 0) this.statements.deleteMany.run(JSON.stringify(rows.map((r) => r.id)));
  }

  /** Done. `reassertAt`: the row had an attempt with unknown outcome; send the newest version once more then. */
  delivered(row: ClaimedRow, reassertAt: number | null = null): void {
    this.release(row);
    // A row gone meanwhile went with its destination: no resend for it.
    const removed = this.statements.delete.run({ id: row.id }).changes > 0;
    if (removed && reassertAt !== null && row.uncertain && row.customer === null) {
      this.statements.dropScheduledResends.run(row.destinationId, row.orderKey);
      this.statements.reassert.run({ destinationId: row.destinationId, orderKey: row.orderKey, sourceUpdatedAt: row.sourceUpdatedAt, at: reassertAt });
    }
  }

  /**
   * Back to waiting, with `row.events` and `row.owed` (the caller passes only what is still to apply after a
   * partial delivery). A newer version queued behind this row folds into it, so the retry carries the newest
   * state and its events, and no stale resend or stale dead letter follows.
   */
  retryLater(row: ClaimedRow, error: string, at: number, uncertain = false): void {
    this.release(row);
    // Gone with its destination while in flight: rows now queued under that id (a destination added again) are not its.
    if (this.statements.exists.get(row.id) === undefined) return;
    const later = this.statements.later.all(row.destinationId, row.orderKey, row.id) as Array<{ id: number; events: string; origin: string; sourceUpdatedAt: number; firstSeen: number }>;
    let events = row.events;
    if (later.length > 0) {
      const merged = [...(JSON.parse(row.events) as string[])];
      for (const l of later) for (const e of JSON.parse(l.events) as string[]) if (!merged.includes(e)) merged.push(e);
      events = JSON.stringify(createdFirst(merged));
      const origin = [row.origin, ...later.map((l) => l.origin)].includes('webhook') ? 'webhook' : later.at(-1)!.origin;
      this.statements.fold.run(origin, Math.max(row.sourceUpdatedAt, ...later.map((l) => l.sourceUpdatedAt)), Math.max(...later.map((l) => l.firstSeen)), row.id);
      for (const l of later) this.statements.delete.run({ id: l.id });
    }
    this.statements.retry.run({ id: row.id, attempts: row.attempts + 1, at, error, uncertain: uncertain || row.uncertain ? 1 : 0, events, owed: row.owed });
  }

  deadLetter(row: ClaimedRow, error: string, now: number): void {
    this.release(row);
    // A row gone meanwhile went with its destination (or shop): no letter for what was removed, as in delivered().
    if (this.statements.delete.run({ id: row.id }).changes === 0) return;
    this.statements.deadLetter.run({
      destinationId: row.destinationId, orderKey: row.orderKey, events: row.events,
      order: readsCurrentOrder(row) ? this.currentOrder(row.orderKey) : row.order, customer: row.customer, sourceUpdatedAt: row.sourceUpdatedAt,
      origin: row.origin, attempts: row.attempts + 1, error, firstSeen: row.firstSeen ? 1 : 0, now,
    });
  }

  /**
   * A deliverer stopped without settling (see DeliveryEngine.holdsLease): every row queued now and due by `until`
   * (its lease's end) may have been in flight, so each is claimed as having had an unanswered attempt. Nothing is
   * written until such a row settles; ids only grow, so what was queued now is what has an id up to the last one.
   */
  inheritUnsettled(until: number): void {
    const lastId = this.statements.lastId.get() as number | null;
    if (lastId !== null) this.inherited = { lastId, until };
  }

  /** An engine (re)starting: rows claimed but never settled are simply due again (stores upsert, so a resend is safe). */
  releaseClaims(): void {
    this.claimed.clear();
  }

  /**
   * A destination changed (destinationChange): what failed under its old settings or key is due at once, not after
   * the back-off it earned; feeding another store, each order's first waiting row is its first version there (firstSeen).
   */
  afterDestinationChange(destinationId: string, change: DestinationChange, now: number): void {
    if (change === 'none') return;
    this.statements.dueNow.run(now, destinationId, now);
    if (change === 'store') this.statements.beginsAgain.run(destinationId);
  }

  /** Whether the destination has a due row (an index probe, cheap enough to ask after every commit). */
  hasDue(destinationId: string, now: number): boolean {
    return this.statements.hasDue.get(destinationId, now) !== undefined;
  }

  /** The earliest time a row of these destinations is due (an index probe each). */
  nextDueAt(destinationIds: string[]): number | null {
    let next: number | null = null;
    for (const id of destinationIds) {
      const at = (this.statements.nextDue.get(id) as { at: number | null } | undefined)?.at ?? null;
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  list(opts: { destinationId?: string; limit: number; afterId?: number }): OutboxRow[] {
    const page = { after: opts.afterId ?? 0, limit: opts.limit };
    const rows = opts.destinationId === undefined ? this.statements.listAll.all(page) : this.statements.listOf.all({ ...page, destination: opts.destinationId });
    return (rows as ListedColumns[]).map(toOutboxRow);
  }

  /** Every row queued: a full count for tests and benchmarks, not for a request path (see countUpTo). */
  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(outbox).get()?.n ?? 0;
  }

  /** Rows queued (of one destination, when given), counting no further than `cap` (a full count of a large backlog stalls the event loop for tens of ms). */
  countUpTo(cap: number, destinationId?: string): number {
    return (destinationId === undefined ? this.statements.countAll.get({ cap }) : this.statements.countOf.get({ cap, destination: destinationId })) as number;
  }

  /** The last error of a destination's retried rows (among the 200 due last), or null when none is retrying. */
  lastRetry(destinationId: string): { attempts: number; lastError: string | null; nextAttemptAt: number } | null {
    return (this.statements.dueLast.get(destinationId) as { attempts: number; lastError: string | null; nextAttemptAt: number } | undefined) ?? null;
  }

  /** When the oldest row still queued was written (ids grow with time), or null when none is. */
  oldestCreatedAt(): number | null {
    return (this.statements.oldest.get() as number | undefined) ?? null;
  }
}

/** Rows up to `lastId`, due by `until`, were queued when a deliverer that stopped unsettled could have claimed them. */
interface Inherited { lastId: number; until: number }

/** The claim's columns in order: arrays cost SQLite-to-JS a quarter less than named rows. */
type ClaimedColumns = [number, string, string, string | null, string | null, number, OutboxRow['origin'], number, number, string | null, number, number, number];

function toClaimedRow(destinationId: string, c: ClaimedColumns, inherited: Inherited | null): ClaimedRow {
  const mayHaveBeenInFlight = inherited !== null && c[0] <= inherited.lastId && c[11] <= inherited.until;
  return {
    id: c[0], destinationId, orderKey: c[1], events: c[2], order: c[3], customer: c[4], sourceUpdatedAt: c[5],
    origin: c[6], attempts: c[7], uncertain: c[8] === 1 || mayHaveBeenInFlight, owed: c[9], firstSeen: c[10] === 1, createdAt: c[12],
  };
}

/** LIST_COLUMNS in order. */
type ListedColumns = [number, string, string, string, string | null, string | null, number, OutboxRow['origin'], number, number, string | null, number, number, string | null, number, Buffer | null];

function toOutboxRow(c: ListedColumns): OutboxRow {
  return {
    id: c[0], destinationId: c[1], orderKey: c[2], events: c[3], order: c[4] ?? (c[15] ? unpackOrder(c[15]) : null), customer: c[5], sourceUpdatedAt: c[6],
    origin: c[7], attempts: c[8], nextAttemptAt: c[9], lastError: c[10], uncertain: c[11] === 1, createdAt: c[12], owed: c[13], firstSeen: c[14] === 1,
  };
}

/**
 * The row as a store sees it. An order row's version is read on first use, for the whole batch at
 * once (`current`), so a store that never looks (the local store copies inside SQLite) reads nothing.
 */
export function toDeliveryItem(row: ClaimedRow, current: () => Map<string, string>): DeliveryItem {
  return new ClaimedItem(row, current);
}

/** A class, not an object literal with a getter: the literal made a closure and its context per item. */
class ClaimedItem implements DeliveryItem {
  readonly id: number;
  readonly orderKey: string;
  readonly events: EventType[];
  readonly customer: Customer | null;
  readonly origin: ClaimedRow['origin'];
  readonly attempt: number;
  readonly owed?: unknown;
  readonly firstSeen: boolean;
  prepared?: unknown;
  private parsed: Order | null | undefined = undefined;

  constructor(private readonly row: ClaimedRow, private readonly current: () => Map<string, string>) {
    this.id = row.id;
    this.orderKey = row.orderKey;
    this.events = JSON.parse(row.events) as EventType[];
    this.customer = row.customer ? (JSON.parse(row.customer) as Customer) : null;
    this.origin = row.origin;
    this.attempt = row.attempts + 1;
    this.firstSeen = row.firstSeen;
    if (row.owed !== null) this.owed = JSON.parse(row.owed) as unknown;
  }

  get order(): Order | null {
    if (this.parsed === undefined) {
      const text = readsCurrentOrder(this.row) ? this.current().get(this.row.orderKey) : this.row.order;
      this.parsed = text ? (JSON.parse(text) as Order) : null;
    }
    return this.parsed;
  }
}
