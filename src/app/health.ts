// GET /health: unauthenticated, so it must stay cheap whatever the backlog: counts stop at a cap.
import type { Context } from 'hono';
import type { AppDeps } from './appDeps.ts';
import { cappedCount } from './cappedCount.ts';

export function health(deps: Pick<AppDeps, 'storage' | 'clock' | 'deliveryRole' | 'reconciliation'>) {
  return (c: Context) => {
    const { outbox, deadLetters, ingest } = deps.storage;
    const oldest = outbox.oldestCreatedAt();
    return c.json({
      status: 'ok',
      outbox: {
        ...cappedCount((cap) => outbox.countUpTo(cap)),
        // How far delivery is behind: the age of the oldest row still waiting (0 when none is).
        oldestAgeSeconds: oldest === null ? 0 : Math.max(0, Math.round((deps.clock.now() - oldest) / 1000)),
        // Runtimes without a say (Workers' cron) deliver from wherever they run.
        deliveredBy: deps.deliveryRole?.() ?? 'this process',
      },
      deadLetters: cappedCount((cap) => deadLetters.countUpTo(cap)),
      ingest: ingest.stats,
      // Passes that read each shop's recent changes from its platform: when the last ended, and what it repaired.
      reconcile: deps.reconciliation?.() ?? { everySeconds: 0 },
    });
  };
}
