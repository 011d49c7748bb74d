import { Hono } from 'hono';
import { z } from 'zod';
import type { Job } from '../../core/jobs/jobBook.ts';
import { readResyncCursor, RESYNC, type ResyncOptions } from '../../core/resync/resyncJobs.ts';
import { destinationId, type ShopRow } from '../../core/shops/registry.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';
import { jsonBody, Limit, readInput } from './query.ts';

// Resyncs: a shop's orders of a date range read again from its platform, as jobs (src/core/resync). These routes
// start them and are views of the jobs book for them.

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const MAX_DATE = 8.64e15;

/** A date ("2025-01-01", midnight UTC) or a date-time with its offset. */
const Day = z.string().transform((v, ctx) => {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms) || Math.abs(ms) > MAX_DATE) {
    ctx.addIssue({ code: 'custom', message: 'expected a date (2025-01-01) or an ISO date-time' });
    return z.NEVER;
  }
  return ms;
});

export const ResyncInput = z.strictObject({
  from: Day,
  to: Day,
  by: z.enum(['created', 'updated']).default('created'),
  destinations: z.array(z.string().min(1)).min(1).max(64).optional(),
  force: z.boolean().default(false),
}).refine((r) => r.from < r.to, { path: ['to'], message: 'to must be after from' });

export const ResyncList = z.object({ shop: z.string().optional(), limit: Limit, before: z.coerce.number().int().min(1).optional() });

/** A resync as the API shows it: the range, pages read, orders seen / queued / unchanged / failed, rate and ETA. */
export function resyncView(job: Job, now: number) {
  const options = job.options as unknown as ResyncOptions;
  const seconds = job.startedAt === null ? 0 : ((job.finishedAt ?? now) - job.startedAt) / 1000;
  const rate = seconds > 0 ? job.seen / seconds : 0;
  const total = readResyncCursor(job.cursor)?.total ?? null;
  const running = job.state === 'running' || job.state === 'queued';
  return {
    id: job.id, shop: job.shopId, state: job.state,
    range: { from: iso(job.rangeFrom), to: iso(job.rangeTo), by: options.by ?? 'created' },
    destinations: job.destinations, force: options.force === true, ...(options.reconcile ? { reconcile: true } : {}),
    pages: job.steps,
    orders: { total, seen: job.seen, queued: job.queued, unchanged: job.skipped, failed: job.failed },
    rate: Math.round(rate * 10) / 10,
    etaSeconds: running && total !== null && rate > 0 ? Math.max(0, Math.round((total - job.seen) / rate)) : null,
    lastError: job.lastError,
    createdAt: iso(job.createdAt), startedAt: iso(job.startedAt), updatedAt: iso(job.updatedAt), finishedAt: iso(job.finishedAt),
  };
}

/**
 * An unfinished resync this one would overlap: a range on the same date that meets it, or any on the other date. A
 * reconciliation pass is not one (small, incremental, and jobs never run interleaved): it would refuse at random.
 */
const overlaps = (a: Job, from: number, to: number, by: string) => {
  const options = a.options as unknown as ResyncOptions;
  if (options.reconcile) return false;
  return options.by !== by || ((a.rangeFrom ?? -Infinity) < to && from < (a.rangeTo ?? Infinity));
};

/** Why a shop's orders cannot be read again at all (the 409 no_credentials), or null when they can. */
export function cannotResync(shop: ShopRow): string | null {
  return shop.credentialsSealed ? null : `shop ${shop.id} has no API credentials to read its orders with`;
}

export type ResyncStart =
  | { ok: true; job: Job }
  | { ok: false; status: 400 | 409; error: string; message: string; extra?: Record<string, unknown> };

/** Queues a resync of the shop (POST /api/shops/:shop/resync and the console's form), or says why not. */
export async function startResync(deps: Pick<AppDeps, 'storage'>, shop: ShopRow, input: z.infer<typeof ResyncInput>): Promise<ResyncStart> {
  const { jobs, shops } = deps.storage;
  const { from, to, by, force } = input;
  const own = shops.destinationsOf(shop.id);
  const destinations: string[] = [];
  for (const [i, given] of (input.destinations ?? own.map((d) => d.id)).entries()) {
    const id = destinationId(shop.id, given);
    if (!own.some((d) => d.id === id)) return { ok: false, status: 400, error: 'invalid_body', message: `destinations.${i}: no destination ${given} for shop ${shop.id}` };
    destinations.push(id);
  }
  const missing = cannotResync(shop);
  if (missing) return { ok: false, status: 409, error: 'no_credentials', message: missing };
  const running = jobs.unfinishedOf(shop.id).find((j) => j.kind === RESYNC && overlaps(j, from, to, by));
  if (running) {
    return {
      ok: false, status: 409, error: 'resync_overlaps', extra: { resync: running.id },
      message: `resync ${running.id} of ${shop.id} (${running.state}) covers part of this range; wait for it or cancel it`,
    };
  }
  const job = jobs.create({ kind: RESYNC, shopId: shop.id, destinations, range: { from, to }, options: { by, force } satisfies ResyncOptions });
  await deps.storage.ingest.durable();
  deps.storage.onJobQueued();
  return { ok: true, job };
}

const jobId = (given: string): number | null => (/^\d{1,15}$/.test(given) ? Number(given) : null);

/** POST /api/shops/:shop/resync and /api/resync. */
export function resyncRoutes(deps: Pick<AppDeps, 'storage' | 'clock'>): Hono {
  const r = new Hono();
  const { jobs, shops } = deps.storage;
  const resyncJob = (given: string) => {
    const id = jobId(given);
    const job = id === null ? undefined : jobs.get(id);
    return job?.kind === RESYNC ? job : undefined;
  };

  r.post('/shops/:shop/resync', async (c) => {
    const shop = shops.get(c.req.param('shop'));
    if (!shop) return problem(c, 404, 'not_found', `no shop ${c.req.param('shop')}`);
    const body = await jsonBody(c.req);
    if (!body.ok) return problem(c, 400, 'invalid_json', 'the request body is not JSON');
    const input = readInput(ResyncInput, body.value);
    if (!input.ok) return problem(c, 400, 'invalid_body', input.message);
    const started = await startResync(deps, shop, input.value);
    if (!started.ok) {
      const how = started.error !== 'no_credentials' ? '' : shop.platform === 'shopify'
        ? '; give its Admin API access token: POST /api/shops {"platform":"shopify","shop":"…","accessToken":"shpat_…"}'
        : '; connect it again with its REST API keys: POST /api/shops with consumerKey and consumerSecret';
      return problem(c, started.status, started.error, `${started.message}${how}`, started.extra);
    }
    c.header('location', `/api/resync/${started.job.id}`);
    return c.json(resyncView(started.job, deps.clock.now()), 202);
  });

  r.get('/resync', (c) => {
    const query = readInput(ResyncList, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const page = jobs.list({ shopId: query.value.shop, limit: query.value.limit, before: query.value.before });
    const now = deps.clock.now();
    return c.json({
      items: page.filter((j) => j.kind === RESYNC).map((j) => resyncView(j, now)),
      nextBefore: page.length === query.value.limit ? page.at(-1)!.id : null,
    });
  });
  r.get('/resync/:id', (c) => {
    const job = resyncJob(c.req.param('id'));
    return job ? c.json(resyncView(job, deps.clock.now())) : problem(c, 404, 'not_found', `no resync ${c.req.param('id')}`);
  });
  // Cancels: no further page is read; what it queued stays queued.
  r.delete('/resync/:id', (c) => {
    const job = resyncJob(c.req.param('id'));
    if (!job) return problem(c, 404, 'not_found', `no resync ${c.req.param('id')}`);
    if (!jobs.cancel(job.id)) return problem(c, 409, 'job_finished', `resync ${job.id} is ${jobs.get(job.id)!.state} already`);
    return c.json(resyncView(jobs.get(job.id)!, deps.clock.now()));
  });
  return r;
}
