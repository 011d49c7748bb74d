import { and, asc, eq, sql } from 'drizzle-orm';
import type { Customer, EventType, Order } from '../canonical/index.ts';
import type { Db } from '../state/database.ts';
import { deadLetters, outbox } from '../state/schema.ts';
import type { DeliveryItem } from './destination.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/** The outbox as the delivery engine sees it: claim due rows in order, settle each outcome. */
export class OutboxQueue {
  constructor(private readonly db: Db) {}

  /**
   * Claims up to `limit` due rows of one destination. A row is only due when no earlier row of the
   * same order is still queued or in flight, so versions of one order reach a store in order.
   */
  claim(destinationId: string, now: number, limit: number): OutboxRow[] {
    return this.db.all<OutboxRow>(sql`
      UPDATE outbox SET state = 'inflight'
      WHERE id IN (
        SELECT o.id FROM outbox o
        WHERE o.destination_id = ${destinationId} AND o.state = 'pending' AND o.next_attempt_at <= ${now}
          AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.destination_id = o.destination_id
                          AND e.order_key = o.order_key AND e.id < o.id)
        ORDER BY o.id LIMIT ${limit})
      RETURNING id, destination_id AS destinationId, order_key AS orderKey, events, "order", customer,
        source_updated_at AS sourceUpdatedAt, origin, state, attempts, next_attempt_at AS nextAttemptAt,
        last_error AS lastError, created_at AS createdAt`).sort((a, b) => a.id - b.id);
  }

  delivered(id: number): void {
    this.db.delete(outbox).where(eq(outbox.id, id)).run();
  }

  retryLater(row: OutboxRow, error: string, at: number): void {
    this.db.update(outbox).set({ state: 'pending', attempts: row.attempts + 1, nextAttemptAt: at, lastError: error })
      .where(eq(outbox.id, row.id)).run();
  }

  deadLetter(row: OutboxRow, error: string, now: number): void {
    this.db.insert(deadLetters).values({
      destinationId: row.destinationId, orderKey: row.orderKey, events: row.events, order: row.order,
      customer: row.customer, sourceUpdatedAt: row.sourceUpdatedAt, origin: row.origin,
      attempts: row.attempts + 1, error, createdAt: now,
    }).run();
    this.db.delete(outbox).where(eq(outbox.id, row.id)).run();
  }

  /** After a crash, rows claimed but never settled are simply due again (stores upsert, so a resend is safe). */
  releaseInflight(): number {
    return this.db.update(outbox).set({ state: 'pending' }).where(eq(outbox.state, 'inflight')).run().changes;
  }

  /** Destinations with at least one due row. */
  dueDestinations(now: number): string[] {
    return this.db.selectDistinct({ id: outbox.destinationId }).from(outbox)
      .where(and(eq(outbox.state, 'pending'), sql`${outbox.nextAttemptAt} <= ${now}`)).all().map((r) => r.id);
  }

  nextDueAt(): number | null {
    const row = this.db.select({ at: sql<number | null>`min(${outbox.nextAttemptAt})` }).from(outbox)
      .where(eq(outbox.state, 'pending')).get();
    return row?.at ?? null;
  }

  list(opts: { destinationId?: string; limit: number; afterId?: number }): OutboxRow[] {
    const conds = [
      opts.destinationId ? eq(outbox.destinationId, opts.destinationId) : undefined,
      opts.afterId ? sql`${outbox.id} > ${opts.afterId}` : undefined,
    ].filter((c) => c !== undefined);
    return this.db.select().from(outbox).where(conds.length ? and(...conds) : undefined)
      .orderBy(asc(outbox.id)).limit(opts.limit).all();
  }

  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(outbox).get()?.n ?? 0;
  }
}

export function toDeliveryItem(row: OutboxRow): DeliveryItem {
  return {
    id: row.id,
    orderKey: row.orderKey,
    events: JSON.parse(row.events) as EventType[],
    order: row.order ? (JSON.parse(row.order) as Order) : null,
    customer: row.customer ? (JSON.parse(row.customer) as Customer) : null,
    origin: row.origin,
    attempt: row.attempts + 1,
  };
}
