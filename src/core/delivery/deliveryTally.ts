// Orders delivered per destination and minute: delivered rows leave the outbox, so without this count nothing
// says what went out (the console's "delivered in the last hour" and its per-minute chart read it).
import type { Db, SqlStatement } from '../state/sqlPort.ts';

export const MINUTE_MS = 60_000;

/** One row per destination and minute with deliveries; the settling transaction adds to it (one upsert a batch). */
export class DeliveryTally {
  private readonly statements: Record<'add' | 'since' | 'perMinute' | 'prune', SqlStatement>;

  constructor(db: Db) {
    const port = db.$client;
    this.statements = {
      add: port.prepare(`INSERT INTO delivered_minutes (destination_id, minute, delivered) VALUES (?, ?, ?)
        ON CONFLICT (destination_id, minute) DO UPDATE SET delivered = delivered + excluded.delivered`),
      since: port.prepare('SELECT coalesce(sum(delivered), 0) FROM delivered_minutes WHERE destination_id = ? AND minute >= ?').pluck(),
      // A shop's destinations are the ids from "<shop id>:" up to "<shop id>;" (one range of the primary key).
      perMinute: port.prepare(`SELECT minute, sum(delivered) AS delivered FROM delivered_minutes
        WHERE destination_id >= @from AND destination_id < @to AND minute >= @since GROUP BY minute`),
      prune: port.prepare('DELETE FROM delivered_minutes WHERE minute < ?'),
    };
  }

  /** Inside the transaction that settled the batch. */
  record(destinationId: string, at: number, delivered: number): void {
    if (delivered > 0) this.statements.add.run(destinationId, Math.floor(at / MINUTE_MS), delivered);
  }

  deliveredSince(destinationId: string, since: number): number {
    return this.statements.since.get(destinationId, Math.floor(since / MINUTE_MS)) as number;
  }

  /** The shop's deliveries (all its destinations) per minute since `since`: minute number (epoch ms / 60,000) → count. */
  perMinuteOfShop(shopId: string, since: number): Map<number, number> {
    const rows = this.statements.perMinute.all({ from: `${shopId}:`, to: `${shopId};`, since: Math.floor(since / MINUTE_MS) }) as Array<{ minute: number; delivered: number }>;
    return new Map(rows.map((r) => [r.minute, r.delivered]));
  }

  /** Minutes before `olderThan` (the runtime's retention run): the chart looks back a day. */
  prune(olderThan: number): number {
    return this.statements.prune.run(Math.floor(olderThan / MINUTE_MS)).changes;
  }
}
