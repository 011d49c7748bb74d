// Orders already held, queued for a store added to a running shop: it gets what changes after it was added,
// and this sends it the rest. As history (origin resync): no Voyado order actions, no eSputnik lifecycle events.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import type { SyncWriter } from '../pipeline/syncWriter.ts';
import type { WriteGate } from '../state/writeGate.ts';

/** Orders looked at a turn of the event loop, and queued at most a transaction: webhooks are answered between two. */
const SLICE = 500;
/** Orders received this soon after the destination was added may have missed it too (another process saw it late). */
const RECEIPT_MARGIN_MS = 1_000;

export interface BackfillRange {
  /** Orders created at or after this time (epoch ms); all when absent. */
  from?: number;
  /** Orders created before this time (epoch ms); all when absent. */
  to?: number;
}

export class Backfill {
  private readonly slice;

  constructor(private readonly sqlite: Database.Database, private readonly writer: SyncWriter, private readonly clock: Clock) {
    // The shop's orders in key order (its keys share the prefix "<shop id>:", so the primary key bounds the walk),
    // a slice at a time, with what decides whether the destination missed them.
    this.slice = sqlite.prepare(`SELECT o.key, o.source_updated_at AS sourceUpdatedAt,
        o.shop_id = d.shop_id AND o.received_at < d.created_at + ${RECEIPT_MARGIN_MS} AND o.status <> 'deleted'
          AND o.source_created_at >= @from AND o.source_created_at < @to AS missed
      FROM destinations d JOIN orders o ON o.key > @after AND o.key < d.shop_id || ';'
      WHERE d.id = @destinationId ORDER BY o.key LIMIT ${SLICE}`);
  }

  /**
   * Queues the orders the destination missed: received before it was added (or changed store; a second's margin
   * for another process that saw it late: one sent again as history does no harm), deleted ones left out (a store
   * that never had them needs no deletion). Their newest versions, a slice at a time; returns how many.
   */
  async queue(destinationId: string, shopId: string, range: BackfillRange = {}, options: { gate?: WriteGate } = {}): Promise<number> {
    const params = { destinationId, from: range.from ?? Number.MIN_SAFE_INTEGER, to: range.to ?? Number.MAX_SAFE_INTEGER };
    let after = `${shopId}:`;
    let queued = 0;
    for (;;) {
      const rows = this.slice.all({ ...params, after }) as Array<{ key: string; sourceUpdatedAt: number; missed: number }>;
      const missed = rows.filter((r) => r.missed === 1);
      if (missed.length > 0) {
        const held = options.gate?.held;
        if (held) await held;
        this.sqlite.transaction(() => {
          const now = this.clock.now();
          for (const row of missed) this.writer.enqueue(destinationId, row.key, [], null, null, row.sourceUpdatedAt, 'resync', now, { firstSeen: true });
        }).immediate();
        queued += missed.length;
      }
      if (rows.length < SLICE) return queued;
      after = rows[rows.length - 1]!.key;
      await nextTurn();
    }
  }
}
