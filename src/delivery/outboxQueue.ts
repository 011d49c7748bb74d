import { and, asc, eq, sql } from 'drizzle-orm';
import type { Customer, EventType, Order } from '../canonical/index.ts';
import type { Db } from '../state/database.ts';
import { deadLetters, outbox } from '../state/schema.ts';
import type { DeliveryItem } from './destination.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/** The outbox as the delivery engine sees it: claim due rows in order, settle each outcome. */
export class OutboxQueue {
  private readonly q;

  constructor(private readonly db: Db) {
    const p = sql.placeholder;
    this.q = {
      // Raw statement: compiled once; drizzle would rebuild this subquery on every claim.
      claim: db.$client.prepare(`
        UPDATE outbox SET state = 'inflight'
        WHERE id IN (
          SELECT o.id FROM outbox o INDEXED BY outbox_claim
          WHERE o.destination_id = ? AND o.state = 'pending' AND o.next_attempt_at <= ?
            AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.destination_id = o.destination_id
                            AND e.order_key = o.order_key AND e.id < o.id)
          ORDER BY o.id LIMIT ?)
        RETURNING id, destination_id AS destinationId, order_key AS orderKey, events, "order", customer,
          source_updated_at AS sourceUpdatedAt, origin, state, attempts, next_attempt_at AS nextAttemptAt,
          last_error AS lastError, created_at AS createdAt`),
      hasDue: db.$client.prepare("SELECT 1 FROM outbox WHERE destination_id = ? AND state = 'pending' AND next_attempt_at <= ? LIMIT 1"),
      nextDue: db.$client.prepare("SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'"),
      currentOrder: db.$client.prepare('SELECT canonical FROM orders WHERE key = ?'),
      delete: db.delete(outbox).where(eq(outbox.id, p('id'))).prepare(),
      retry: db.update(outbox).set({ state: 'pending', attempts: sql`${p('attempts')}`, nextAttemptAt: sql`${p('at')}`, lastError: sql`${p('error')}` })
        .where(eq(outbox.id, p('id'))).prepare(),
    };
  }

  /**
   * Claims up to `limit` due rows of one destination. A row is only due when no earlier row of the
   * same order is still queued or in flight, so versions of one order reach a store in order.
   */
  claim(destinationId: string, now: number, limit: number): OutboxRow[] {
    return this.withOrder((this.q.claim.all(destinationId, now, limit) as OutboxRow[]).sort((a, b) => a.id - b.id));
  }

  /** Order rows carry no copy: they deliver whatever version is newest when they are claimed. */
  private withOrder(rows: OutboxRow[]): OutboxRow[] {
    for (const row of rows) {
      if (row.order === null && row.customer === null) {
        row.order = (this.q.currentOrder.get(row.orderKey) as { canonical: string } | undefined)?.canonical ?? null;
      }
    }
    return rows;
  }

  delivered(id: number): void {
    this.q.delete.run({ id });
  }

  retryLater(row: OutboxRow, error: string, at: number): void {
    this.q.retry.run({ id: row.id, attempts: row.attempts + 1, at, error });
  }

  deadLetter(row: OutboxRow, error: string, now: number): void {
    this.db.insert(deadLetters).values({
      destinationId: row.destinationId, orderKey: row.orderKey, events: row.events, order: row.order,
      customer: row.customer, sourceUpdatedAt: row.sourceUpdatedAt, origin: row.origin,
      attempts: row.attempts + 1, error, createdAt: now,
    }).run();
    this.q.delete.run({ id: row.id });
  }

  /** After a crash, rows claimed but never settled are simply due again (stores upsert, so a resend is safe). */
  releaseInflight(): number {
    return this.db.update(outbox).set({ state: 'pending' }).where(eq(outbox.state, 'inflight')).run().changes;
  }

  /** Whether the destination has a due row (an index probe, cheap enough to ask after every commit). */
  hasDue(destinationId: string, now: number): boolean {
    return this.q.hasDue.get(destinationId, now) !== undefined;
  }

  nextDueAt(): number | null {
    const row = this.q.nextDue.get() as { at: number | null } | undefined;
    return row?.at ?? null;
  }

  list(opts: { destinationId?: string; limit: number; afterId?: number }): OutboxRow[] {
    const conds = [
      opts.destinationId ? eq(outbox.destinationId, opts.destinationId) : undefined,
      opts.afterId ? sql`${outbox.id} > ${opts.afterId}` : undefined,
    ].filter((c) => c !== undefined);
    return this.withOrder(this.db.select().from(outbox).where(conds.length ? and(...conds) : undefined)
      .orderBy(asc(outbox.id)).limit(opts.limit).all());
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
