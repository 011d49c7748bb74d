// How a job's progress reads on the shop page, rendered once on the server and then kept moving by a small inline
// script polling GET /admin/shops/:shop/jobs.json (the same figures as text); without scripts the page reloads itself.
import type { Hono } from 'hono';
import { BACKFILL } from '../../core/delivery/backfill.ts';
import type { Job } from '../../core/jobs/jobBook.ts';
import { RESYNC } from '../../core/resync/resyncJobs.ts';
import { resyncView } from '../admin/resyncRoutes.ts';
import { COUNT_CAP } from '../cappedCount.ts';
import { shopPath, type ConsoleContext } from './consoleContext.ts';
import type { ConsoleEnv } from './session.ts';

/** The jobs a shop page shows of each kind. */
const SHOWN = 5;
/** Enough of the newest jobs to find SHOWN of each kind among them most of the time. */
const LOOKED_AT = 40;

export const unfinished = (job: Job): boolean => job.state === 'queued' || job.state === 'running';

export interface ShopJobs { backfills: Job[]; resyncs: Job[] }

export function shopJobs(ctx: ConsoleContext, shopId: string): ShopJobs {
  const jobs = ctx.deps.storage.jobs.list({ shopId, limit: LOOKED_AT });
  return { backfills: jobs.filter((j) => j.kind === BACKFILL).slice(0, SHOWN), resyncs: jobs.filter((j) => j.kind === RESYNC).slice(0, SHOWN) };
}

/** A bar's fill: null when how far it is cannot be told (the bar then only says it moves). */
export type Bar = { value: number; max: number } | null;

/** A job's figures as the page prints them, by the `data-field` they fill. */
export interface JobFigures { state: string; unfinished: boolean; bar: Bar; fields: Record<string, string> }

const count = (n: number) => n.toLocaleString('en');

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function resyncFigures(job: Job, now: number): JobFigures {
  const v = resyncView(job, now);
  const { total, seen } = v.orders;
  const open = unfinished(job);
  const bar: Bar = job.state === 'done' ? { value: Math.max(seen, 1), max: Math.max(seen, 1) } : total !== null ? { value: seen, max: Math.max(total, seen, 1) } : null;
  return {
    state: job.state, unfinished: open, bar,
    fields: {
      state: job.state, pages: count(v.pages), seen: count(seen), total: total === null ? '?' : count(total), queued: count(v.orders.queued),
      unchanged: count(v.orders.unchanged), failed: count(v.orders.failed), rate: `${v.rate}/s`,
      eta: v.etaSeconds !== null ? duration(v.etaSeconds) : '—', error: job.lastError ?? '',
    },
  };
}

/** A backfill looks at the orders held; above the count's cap the bar only says it moves. */
export function backfillFigures(job: Job, held: number): JobFigures {
  const open = unfinished(job);
  return {
    state: job.state, unfinished: open,
    bar: !open ? { value: 1, max: 1 } : held <= COUNT_CAP ? { value: job.seen, max: Math.max(held, job.seen, 1) } : null,
    fields: { state: job.state, seen: count(job.seen), queued: count(job.queued), skipped: count(job.skipped), failed: count(job.failed), error: job.lastError ?? '' },
  };
}

export const heldOf = (ctx: ConsoleContext, shopId: string, jobs: Job[]): number =>
  jobs.some(unfinished) ? ctx.activity.ordersHeldUpTo(shopId, COUNT_CAP + 1) : 0;

export function ProgressBar({ bar }: { bar: Bar }) {
  return bar ? <progress data-field-bar="" value={bar.value} max={bar.max} /> : <progress data-field-bar="" />;
}

/** The figure `name` of a job, in a span the script refills. */
export const Figure = ({ figures, name }: { figures: JobFigures; name: string }) => <span data-field={name}>{figures.fields[name]}</span>;

/** Where /admin/console.js finds the jobs' figures to follow while one is unfinished, and the page to reload. */
export function JobFollower({ shopId }: { shopId: string }) {
  return <div hidden data-jobs={`${shopPath(shopId)}/jobs.json`} data-page={shopPath(shopId)} />;
}

/** GET /admin/shops/:shop/jobs.json: the figures of the jobs the shop page shows. */
export function jobProgressRoute(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  r.get('/shops/:shop/jobs.json', (c) => {
    const shop = ctx.deps.storage.shops.get(c.req.param('shop'));
    if (!shop) return c.json({ error: 'not_found', message: `no shop ${c.req.param('shop')}` }, 404);
    const { backfills, resyncs } = shopJobs(ctx, shop.id);
    const now = ctx.deps.clock.now();
    const held = heldOf(ctx, shop.id, backfills);
    return c.json({
      jobs: [
        ...resyncs.map((j) => ({ id: j.id, kind: j.kind, ...resyncFigures(j, now), resync: resyncView(j, now) })),
        ...backfills.map((j) => ({ id: j.id, kind: j.kind, ...backfillFigures(j, held) })),
      ],
    });
  });
}
