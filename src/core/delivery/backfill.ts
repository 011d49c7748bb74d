// Orders already held, queued for a store added to a running shop: it gets what changes after it was added, and
// a backfill job sends it the rest. As history (origin resync): no Voyado order actions, no eSputnik lifecycle events.
import type { SqlPort } from '../state/sqlPort.ts';
import type { JobKind } from '../jobs/jobRunner.ts';
import { JobFailure } from '../jobs/jobRunner.ts';
import type { SyncWriter } from '../pipeline/syncWriter.ts';
import type { ShopRegistry } from '../shops/registry.ts';

export const BACKFILL = 'backfill';

/**
 * Orders looked at a step: at most this many rows queued a transaction (~3 ms of the event loop on this machine),
 * webhooks answered between two.
 */
export const BACKFILL_STEP = 250;
/**
 * The share of the job runner's time a backfill takes while webhooks arrive (else the runner's own, a quarter): each
 * step writes ~40 WAL pages (250 outbox rows, their three indexes, the job's row), which the checkpointer copies and the
 * next acknowledgement's WAL sync waits behind, beside its ~3 ms of the event loop.
 */
export const BACKFILL_BUSY_SHARE = 0.1;
/** Orders received this soon after the destination was added may have missed it too (another process saw it late). */
const RECEIPT_MARGIN_MS = 1_000;

/**
 * The shop's orders in key order from the cursor (its keys share the prefix "<shop id>:", so the primary key bounds
 * the walk), with what decides whether a destination missed them.
 */
export const BACKFILL_SLICE = `SELECT key, source_updated_at AS sourceUpdatedAt, received_at AS receivedAt, status <> 'deleted' AS live,
    source_created_at >= @from AND source_created_at < @to AS inRange
  FROM orders WHERE key > @after AND key < @end ORDER BY key LIMIT ${BACKFILL_STEP}`;

interface SliceRow { key: string; sourceUpdatedAt: number; receivedAt: number; live: number; inRange: number }

/**
 * Backfill jobs: the newest version of each order of the shop its destinations missed (received before each was
 * added, or up to a second after: one sent again as history does no harm), deleted ones left out (a store that never
 * had them needs no deletion), created within the job's range. A step is a slice of the shop's orders; the cursor is
 * the last key looked at.
 */
export function backfillJobs(sqlite: SqlPort, writer: SyncWriter, shops: ShopRegistry): JobKind {
  const slice = sqlite.prepare(BACKFILL_SLICE);
  return {
    busyShare: BACKFILL_BUSY_SHARE,
    step(job, _page, now) {
      const destinations = job.destinations.map((id) => {
        const d = shops.destination(id);
        if (!d) throw new JobFailure(`destination ${id} was removed`);
        if (d.shopId !== job.shopId) throw new JobFailure(`destination ${id} is not one of ${job.shopId}'s`);
        return d;
      });
      const rows = slice.all({
        after: job.cursor ?? `${job.shopId}:`, end: `${job.shopId};`,
        from: job.rangeFrom ?? Number.MIN_SAFE_INTEGER, to: job.rangeTo ?? Number.MAX_SAFE_INTEGER,
      }) as SliceRow[];
      const counts = { seen: 0, queued: 0, skipped: 0 };
      for (const row of rows) {
        if (row.inRange !== 1) continue;
        counts.seen++;
        let queued = false;
        for (const d of destinations) {
          if (row.live !== 1 || row.receivedAt >= d.createdAt + RECEIPT_MARGIN_MS) continue;
          writer.enqueue({ destinationId: d.id, orderKey: row.key, events: [], sourceUpdatedAt: row.sourceUpdatedAt, origin: 'resync', now, firstSeen: true });
          queued = true;
        }
        counts[queued ? 'queued' : 'skipped']++;
      }
      return { cursor: rows.at(-1)?.key ?? job.cursor, counts, done: rows.length < BACKFILL_STEP };
    },
  };
}
