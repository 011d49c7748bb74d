import { BACKFILL, backfillJobs } from '../delivery/backfill.ts';
import type { Storage } from '../storage.ts';
import type { JobKind } from './jobRunner.ts';

/** Every kind of job this build runs, over one storage. */
export function jobKinds(storage: Storage): Record<string, JobKind<unknown>> {
  return { [BACKFILL]: backfillJobs(storage.database.sqlite, storage.writer, storage.shops) };
}
