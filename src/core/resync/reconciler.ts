import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { JobBook } from '../jobs/jobBook.ts';
import type { ShopRegistry } from '../shops/registry.ts';
import type { SqlPort } from '../state/sqlPort.ts';
import { RESYNC, type ResyncOptions } from './resyncJobs.ts';

// Continuous reconciliation: webhooks get lost (WooCommerce never retries and disables a failing webhook, Shopify
// gives up after its retries, nothing arrives while orderbridge is down). Every interval each shop that can be read
// gets an incremental resync by update time, from where its last pass ended (minus an overlap for clocks and
// late commits on the platform's side) to now: an order whose webhook never came is delivered anyway.

export interface ReconcilerOptions {
  intervalMs: number;
  /** How far before the last pass's end the next one starts again. */
  overlapMs: number;
}

export const DEFAULT_RECONCILE_OVERLAP_MS = 5 * 60_000;

/** RECONCILE_INTERVAL, on either runtime: 900, 900s, 15m, 1h (milliseconds once read); 0 = never. */
export const reconcileIntervalSetting = z.string().default('15m').transform((v, ctx) => {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'expected seconds (900), or with a unit: 900s, 15m, 1h; 0 turns it off' });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h' ?? 's']);
});

/** A shop whose last pass ended this share of an interval ago is due again (a timer firing a little early still passes it). */
const DUE_SHARE = 0.9;

export interface ReconcileStats {
  everySeconds: number;
  /** The last pass that ended: when, over how many shops, how many orders it read and how many it repaired (queued). */
  lastPass: { at: string; shops: number; seen: number; repaired: number } | null;
  /** Orders repaired by the passes this process ran. */
  repairedSinceStart: number;
}

export class Reconciler {
  private readonly statements;
  /** The jobs of the pass under way, not all ended yet. */
  private pending: number[] = [];
  private last: ReconcileStats['lastPass'] = null;
  private repaired = 0;

  constructor(sqlite: SqlPort, private readonly jobs: JobBook, private readonly shops: ShopRegistry, private readonly clock: Clock, private readonly options: ReconcilerOptions) {
    this.statements = {
      // The shop's high-water mark: where its last completed pass ended (its jobs newest first, by the shop's index).
      highWater: sqlite.prepare(`SELECT range_to FROM jobs INDEXED BY jobs_shop WHERE shop_id = ? AND kind = '${RESYNC}' AND state = 'done'
        AND json_extract(options, '$.reconcile') = 1 ORDER BY id DESC LIMIT 1`).pluck(),
    };
  }

  /**
   * Queues one pass: a resync job per shop with credentials and no pass of its own still unfinished (with `dueOnly`,
   * and whose last pass ended an interval ago or more). Returns the jobs queued (the runner takes them in turn).
   */
  pass(options: { dueOnly?: boolean } = {}): number[] {
    this.settle();
    if (this.pending.length > 0) return [];
    const now = this.clock.now();
    const queued: number[] = [];
    for (const shop of this.shops.list()) {
      if (!shop.credentialsSealed || shop.uninstalledAt !== null) continue;
      const unfinished = this.jobs.unfinishedOf(shop.id).some((j) => j.kind === RESYNC && (j.options as unknown as ResyncOptions).reconcile);
      if (unfinished) continue;
      const mark = this.statements.highWater.get(shop.id) as number | undefined;
      // A trigger that fires more often than the interval (the Worker's cron) passes each shop once an interval.
      if (options.dueOnly && mark !== undefined && now - mark < DUE_SHARE * this.options.intervalMs) continue;
      const from = (mark ?? now - this.options.intervalMs) - this.options.overlapMs;
      const job = this.jobs.create({
        kind: RESYNC, shopId: shop.id, destinations: this.shops.destinationsOf(shop.id).map((d) => d.id),
        range: { from, to: now }, options: { by: 'updated', reconcile: true } satisfies ResyncOptions,
      });
      queued.push(job.id);
    }
    this.pending = queued;
    return queued;
  }

  /** The passes' figures, for /health. */
  stats(): ReconcileStats {
    this.settle();
    return { everySeconds: Math.round(this.options.intervalMs / 1000), lastPass: this.last, repairedSinceStart: this.repaired };
  }

  /** A pass whose jobs have all ended becomes the last pass. */
  private settle(): void {
    if (this.pending.length === 0) return;
    const jobs = this.pending.map((id) => this.jobs.get(id));
    if (jobs.some((j) => j && (j.state === 'queued' || j.state === 'running'))) return;
    const ended = jobs.filter((j) => j !== undefined);
    const repaired = ended.reduce((n, j) => n + j.queued, 0);
    this.repaired += repaired;
    const at = Math.max(0, ...ended.map((j) => j.finishedAt ?? 0));
    this.last = { at: new Date(at || this.clock.now()).toISOString(), shops: ended.length, seen: ended.reduce((n, j) => n + j.seen, 0), repaired };
    this.pending = [];
  }
}
