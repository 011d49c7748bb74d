import { timerTurn, type NextTurn } from '../clock.ts';
import type { Db } from './sqlPort.ts';
import type { WriteGate } from './writeGate.ts';

/**
 * What is kept only for a while. Receipts only need to outlive the platforms' retries (Shopify: 4
 * hours) to catch duplicates; quarantined payloads are for an operator to look at (and hold personal
 * data); a replayed dead letter is history once its replay is queued. Kept forever, each would grow the
 * database without bound.
 *
 * Deleted oldest first in small slices with a turn of the event loop between them, each slice waiting
 * at the write gate like other writes: a receipt costs ~36 µs to delete (three b-trees, random pages),
 * so 5,000 at once stalled webhooks for ~180 ms; 250 hold them ~10 ms.
 */
export interface PruneOptions {
  slice?: number;
  gate?: WriteGate;
  /** Stops between slices (shutdown); what was deleted stays deleted. */
  signal?: AbortSignal;
  /** The runtime's turn between slices (default: a zero timer). */
  nextTurn?: NextTurn;
}

/** Tables written in time order: the oldest rows are the first rowids. */
const APPENDED = { receipts: 'received_at', quarantine: 'created_at' } as const;

/**
 * Deletes rows older than `olderThan` from the front of an append-ordered table. Each statement looks
 * at one slice of the oldest rows only (not the whole table for the last few), and pruning stops at
 * the first slice with nothing old in it.
 */
export function pruneAppended(db: Db, table: keyof typeof APPENDED, olderThan: number, options: PruneOptions = {}): Promise<number> {
  const del = db.$client.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} ORDER BY rowid LIMIT ?) AND ${APPENDED[table]} < ?`);
  return inSlices((slice) => del.run(slice, olderThan).changes, (n) => n > 0, options);
}

/** Replayed dead letters older than `olderThan` (by replay time); a letter never replayed stays until it is. */
export function pruneReplayedLetters(db: Db, olderThan: number, options: PruneOptions = {}): Promise<number> {
  const del = db.$client.prepare('DELETE FROM dead_letters WHERE rowid IN (SELECT rowid FROM dead_letters WHERE replayed_at < ? LIMIT ?)');
  return inSlices((slice) => del.run(olderThan, slice).changes, (n, slice) => n === slice, options);
}

/** Finished jobs kept per shop whatever their age (each kind, and reconciliation passes apart from resyncs asked for). */
export const JOBS_KEPT_PER_SHOP = 20;

/**
 * Finished jobs (done, failed, cancelled) beyond the newest `keepPerShop` of their shop and kind: reconciliation passes
 * (one a shop every RECONCILE_INTERVAL) whatever their age, other jobs once they finished before `olderThan`. A shop's
 * last completed pass stays whatever: the next pass starts where it ended.
 */
export function pruneFinishedJobs(db: Db, olderThan: number, options: PruneOptions & { keepPerShop?: number } = {}): Promise<number> {
  const del = db.$client.prepare(`DELETE FROM jobs WHERE id IN (
      SELECT id FROM (
        SELECT id, finished_at, coalesce(json_extract(options, '$.reconcile'), 0) = 1 AS pass,
          row_number() OVER (PARTITION BY shop_id, kind, coalesce(json_extract(options, '$.reconcile'), 0) = 1 ORDER BY id DESC) AS newer
        FROM jobs WHERE state IN ('done', 'failed', 'cancelled')
      ) WHERE newer > @keep AND (pass OR finished_at < @olderThan)
        AND id NOT IN (SELECT max(id) FROM jobs WHERE state = 'done' AND coalesce(json_extract(options, '$.reconcile'), 0) = 1 GROUP BY shop_id)
      LIMIT @slice)`);
  const keep = options.keepPerShop ?? JOBS_KEPT_PER_SHOP;
  return inSlices((slice) => del.run({ keep, olderThan, slice }).changes, (n, slice) => n === slice, options);
}

async function inSlices(run: (slice: number) => number, more: (deleted: number, slice: number) => boolean,
  { slice = 250, gate, signal, nextTurn = timerTurn }: PruneOptions): Promise<number> {
  let total = 0;
  for (;;) {
    const held = gate?.held;
    if (held) await held;
    if (signal?.aborted) return total;
    const n = run(slice);
    total += n;
    if (!more(n, slice)) return total;
    await nextTurn();
  }
}
