// Orders already held, queued for a store added to a running shop: it gets what changes after it was added,
// and this sends it the rest. As history (origin resync): no Voyado order actions, no eSputnik lifecycle events.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import type { SyncWriter } from '../pipeline/syncWriter.ts';
import type { WriteGate } from '../state/writeGate.ts';

/** Orders queued a transaction: webhooks are answered between two. */
const SLICE = 500;

export interface BackfillRange {
  /** Orders created at or after this time (epoch ms); all when absent. */
  from?: number;
  /** Orders created before this time (epoch ms); all when absent. */
  to?: number;
}

export class Backfill {
  private readonly missed;

  constructor(private readonly sqlite: Database.Database, private readonly writer: SyncWriter, private readonly clock: Clock) {
    // The orders whose newest version the destination never got: received before it was added (or changed store).
    // Deleted ones are left out: a store that never had them needs no deletion.
    this.missed = sqlite.prepare(`SELECT o.key, o.source_updated_at AS sourceUpdatedAt FROM orders o, destinations d
      WHERE d.id = @destinationId AND o.shop_id = d.shop_id AND o.received_at < d.created_at AND o.key > @after
        AND json_extract(o.canonical, '$.status') <> 'deleted'
        AND (@from IS NULL OR json_extract(o.canonical, '$.createdAt') >= @from)
        AND (@to IS NULL OR json_extract(o.canonical, '$.createdAt') < @to)
      ORDER BY o.key LIMIT ${SLICE}`);
  }

  /** Queues the destination's missed orders, newest versions, slice by slice; returns how many. */
  async queue(destinationId: string, range: BackfillRange = {}, options: { gate?: WriteGate } = {}): Promise<number> {
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const params = { destinationId, from: iso(range.from), to: iso(range.to) };
    let after = '';
    let queued = 0;
    for (;;) {
      const held = options.gate?.held;
      if (held) await held;
      const slice = this.sqlite.transaction(() => {
        const rows = this.missed.all({ ...params, after }) as Array<{ key: string; sourceUpdatedAt: number }>;
        const now = this.clock.now();
        for (const row of rows) {
          this.writer.enqueue(destinationId, row.key, [], null, null, row.sourceUpdatedAt, 'resync', now, { firstSeen: true });
        }
        return rows;
      }).immediate();
      queued += slice.length;
      if (slice.length < SLICE) return queued;
      after = slice[slice.length - 1]!.key;
      await nextTurn();
    }
  }
}
