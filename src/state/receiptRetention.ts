import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from './database.ts';
import type { WriteGate } from './writeGate.ts';

/**
 * Receipts only need to outlive the platforms' retries (Shopify: 4 hours; WooCommerce: none) to catch
 * duplicates; kept forever they would grow the database by one row per webhook. Oldest first, in slices
 * with a turn of the event loop between them (an hour of a busy shop is millions of rows: deleting them
 * in one go would stall webhooks for seconds), each slice waiting at the write gate like other writes.
 */
export interface PruneOptions {
  slice?: number;
  gate?: WriteGate;
  /** Stops between slices (shutdown); what was deleted stays deleted. */
  signal?: AbortSignal;
}

export async function pruneReceipts(db: Db, olderThan: number, { slice = 5_000, gate, signal }: PruneOptions = {}): Promise<number> {
  const del = db.$client.prepare('DELETE FROM receipts WHERE rowid IN (SELECT rowid FROM receipts WHERE received_at < ? ORDER BY rowid LIMIT ?)');
  let total = 0;
  for (;;) {
    const held = gate?.held;
    if (held) await held;
    if (signal?.aborted) return total;
    const n = del.run(olderThan, slice).changes;
    total += n;
    if (n < slice) return total;
    await nextTurn();
  }
}
