// What /metrics reads from the database when scraped, rather than counting in memory: it holds for every process
// sharing the file, and survives a restart. Each query walks an index only (outbox_destination,
// dead_letters_replayed, jobs_state): a scrape costs about what a count of the waiting rows does, never a table scan.
import type { SqlPort, SqlStatement } from '../state/sqlPort.ts';

export interface DestinationQueue {
  destinationId: string;
  depth: number;
  /** When its oldest waiting row was written (epoch ms). */
  oldestCreatedAt: number;
}

export interface RunningJobs {
  kind: string;
  running: number;
  /** Orders the running jobs of this kind have looked at, and queued, so far (their committed steps' counts). */
  seen: number;
  queued: number;
}

export class ScrapeReadings {
  private readonly depth: SqlStatement;
  private readonly oldest: SqlStatement;
  private readonly openLetters: SqlStatement;
  private readonly jobs: SqlStatement;

  constructor(sqlite: SqlPort) {
    this.depth = sqlite.prepare('SELECT destination_id AS destinationId, count(*) AS depth FROM outbox INDEXED BY outbox_destination GROUP BY destination_id');
    // Ids grow with time: a destination's first row by id is its oldest, one index step away.
    this.oldest = sqlite.prepare('SELECT created_at FROM outbox INDEXED BY outbox_destination WHERE destination_id = ? ORDER BY id LIMIT 1').pluck();
    this.openLetters = sqlite.prepare(`SELECT destination_id AS destinationId, count(*) AS open FROM dead_letters INDEXED BY dead_letters_replayed
      WHERE replayed_at IS NULL GROUP BY destination_id`);
    this.jobs = sqlite.prepare(`SELECT kind, count(*) AS running, sum(seen) AS seen, sum(queued) AS queued FROM jobs INDEXED BY jobs_state
      WHERE state = 'running' GROUP BY kind`);
  }

  /** Every destination with rows waiting. */
  queues(): DestinationQueue[] {
    return (this.depth.all() as Array<{ destinationId: string; depth: number }>).map((q) => ({
      ...q, oldestCreatedAt: (this.oldest.get(q.destinationId) as number | undefined) ?? 0,
    }));
  }

  /** Dead letters not yet replayed, by destination (those with none left out). */
  openDeadLetters(): Array<{ destinationId: string; open: number }> {
    return this.openLetters.all() as Array<{ destinationId: string; open: number }>;
  }

  runningJobs(): RunningJobs[] {
    return this.jobs.all() as RunningJobs[];
  }
}
