import { BACKFILL, backfillJobs } from '../delivery/backfill.ts';
import { RESYNC, resyncJobs, type ResyncSources } from '../resync/resyncJobs.ts';
import type { ResyncReader } from '../resync/source.ts';
import type { SecretBox } from '../state/secretBox.ts';
import type { Storage } from '../storage.ts';
import type { JobKind } from './jobRunner.ts';

/** What resyncs need besides the storage: the platforms' readers (the registry's) and the box their credentials open with. */
export interface ResyncDeps {
  secrets: SecretBox;
  sources: ResyncSources;
  /** Reads and versions pages on a thread of the runtime's own (else in-line from `sources`). */
  reader?: ResyncReader;
}

/** Every kind of job this build runs, over one storage (resyncs when the runtime hands in the platforms' readers). */
export function jobKinds(storage: Storage, resync?: ResyncDeps): Record<string, JobKind<unknown>> {
  const kinds: Record<string, JobKind<unknown>> = { [BACKFILL]: backfillJobs(storage.database.sqlite, storage.writer, storage.shops) };
  if (resync) {
    kinds[RESYNC] = resyncJobs({ sqlite: storage.database.sqlite, writer: storage.writer, shops: storage.shops, ...resync }) as JobKind<unknown>;
  }
  return kinds;
}
