import type { Job, StepResult } from '../jobs/jobBook.ts';
import { JobFailure, type JobKind } from '../jobs/jobRunner.ts';
import type { SyncWriter } from '../pipeline/syncWriter.ts';
import type { ShopRegistry } from '../shops/registry.ts';
import type { SecretBox } from '../state/secretBox.ts';
import type { SqlPort } from '../state/sqlPort.ts';
import { ResyncWriter } from './resyncWriter.ts';
import { inlineResyncReader, type ResyncedOrder, type ResyncFailure, type ResyncReader, type ResyncSources, type VersionedPage } from './source.ts';

export const RESYNC = 'resync';

/** A resync's options as the job keeps them. */
export interface ResyncOptions {
  by: 'created' | 'updated';
  force?: boolean;
  /** A reconciliation pass (not asked for by a person): its high-water mark moves when it is done. */
  reconcile?: boolean;
}

/** The job's cursor: the source's own, and the range's size when the platform told it (for the ETA). */
export interface ResyncCursor { at: string; total: number | null }

export function readResyncCursor(cursor: string | null): ResyncCursor | null {
  if (cursor === null) return null;
  try {
    return JSON.parse(cursor) as ResyncCursor;
  } catch {
    return null;
  }
}

export type { ResyncSources } from './source.ts';

export interface ResyncJobDeps {
  sqlite: SqlPort;
  writer: SyncWriter;
  shops: ShopRegistry;
  secrets: SecretBox;
  sources: ResyncSources;
  /** Where pages are read and versioned: in-line from `sources` unless the runtime has a thread for it. */
  reader?: ResyncReader;
}

/** `versionedMs`: what making its versions took where it was read (the webhooks' translation shares that thread). */
interface ReadPage { orders: ResyncedOrder[]; failures: ResyncFailure[]; cursor: string | null; done: boolean; versionedMs: number }

/** The pages being read for the job running now: taken up again while its cursor is the one the last page ended at. */
interface Session { jobId: number; cursor: string | null; pages: AsyncIterator<VersionedPage>; ahead: Promise<IteratorResult<VersionedPage>> | null }

/**
 * Resync jobs: a shop's orders of a date range read from its platform a page at a time (outside any transaction,
 * mapped and packed there, by the reader: on another thread where the runtime has one), then each page's orders written and the job checkpointed in one transaction
 * (ResyncWriter). A job resumed after a restart reads on from its last committed page.
 */
export function resyncJobs(deps: ResyncJobDeps): JobKind<ReadPage> {
  const writer = new ResyncWriter(deps.sqlite, deps.writer);
  const reader = deps.reader ?? inlineResyncReader(deps.sources);
  let session: Session | null = null;

  const drop = () => {
    const pages = session?.pages;
    session = null;
    void pages?.return?.().catch(() => {});
  };

  const open = async (job: Job, signal: AbortSignal): Promise<Session> => {
    if (session && session.jobId === job.id && session.cursor === job.cursor) return session;
    drop();
    const shop = deps.shops.get(job.shopId);
    if (!shop) throw new JobFailure(`shop ${job.shopId} was removed`);
    if (!shop.credentialsSealed) throw new JobFailure(`shop ${job.shopId} has no API credentials to read its orders with`);
    const credentials = await deps.secrets.open(shop.credentialsSealed).catch(() => {
      throw new JobFailure(`the credentials of ${job.shopId} cannot be opened with this ENCRYPTION_KEY`);
    });
    const options = job.options as unknown as ResyncOptions;
    const pages = reader.pages(shop.platform, {
      shop: shop.domain, credentials, settings: shop.settings, signal, cursor: readResyncCursor(job.cursor)?.at ?? null,
      range: { from: job.rangeFrom ?? 0, to: job.rangeTo ?? Number.MAX_SAFE_INTEGER, by: options.by ?? 'created' },
    });
    return (session = { jobId: job.id, cursor: job.cursor, pages, ahead: null });
  };

  return {
    async read(job, signal) {
      try {
        const s = await open(job, signal);
        const next = await (s.ahead ?? s.pages.next());
        s.ahead = null;
        if (next.done) {
          drop();
          return { orders: [], failures: [], cursor: job.cursor, done: true, versionedMs: 0 };
        }
        const page = next.value;
        const cursor = JSON.stringify({ at: page.cursor, total: page.total } satisfies ResyncCursor);
        s.cursor = cursor;
        if (page.done) drop();
        else {
          // The next page is asked for while this one is written: the platform's latency overlaps the step and the pause.
          s.ahead = s.pages.next();
          s.ahead.catch(() => {});
        }
        // Mapped and packed by the reader, off the transaction: the step only compares and writes.
        return { orders: page.orders, failures: page.failures, cursor, done: page.done, versionedMs: page.versionedMs };
      } catch (error) {
        drop();
        throw error;
      }
    },
    readCostMs: (page) => page.versionedMs,
    step(job, page, now): StepResult {
      if (!page) throw new Error('a resync step needs its page');
      const destinations = job.destinations.map((id) => {
        const d = deps.shops.destination(id);
        if (!d || d.shopId !== job.shopId) throw new JobFailure(`destination ${id} was removed`);
        return d;
      });
      const force = (job.options as unknown as ResyncOptions).force === true;
      const counts = { seen: page.orders.length + page.failures.length, queued: 0, skipped: 0, failed: page.failures.length };
      for (const o of page.orders) counts[writer.apply(o, { destinations, force }, now) === 'queued' ? 'queued' : 'skipped']++;
      for (const failure of page.failures) writer.quarantine(failure, job, now);
      return { cursor: page.cursor, counts, done: page.done };
    },
  };
}
