import { Hono } from 'hono';
import { z } from 'zod';
import type { Job } from '../../core/jobs/jobBook.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';
import { Limit, readInput } from './query.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A job as the API shows it, with its rate: orders looked at per second since it started. */
export function jobView(job: Job, now: number) {
  const seconds = job.startedAt === null ? 0 : ((job.finishedAt ?? now) - job.startedAt) / 1000;
  return {
    id: job.id, kind: job.kind, shop: job.shopId, destinations: job.destinations,
    range: { from: iso(job.rangeFrom), to: iso(job.rangeTo) }, ...(Object.keys(job.options).length > 0 ? { options: job.options } : {}),
    state: job.state,
    counts: { steps: job.steps, seen: job.seen, queued: job.queued, skipped: job.skipped, failed: job.failed },
    rate: seconds > 0 ? Math.round(job.seen / seconds) : null,
    lastError: job.lastError,
    createdAt: iso(job.createdAt), startedAt: iso(job.startedAt), updatedAt: iso(job.updatedAt), finishedAt: iso(job.finishedAt),
  };
}

export const JobPage = z.object({ shop: z.string().optional(), limit: Limit, before: z.coerce.number().int().min(1).optional() });

/** Reads a job id from the path: whole numbers only. */
const jobId = (given: string): number | null => (/^\d{1,15}$/.test(given) ? Number(given) : null);

/** Jobs (backfills; resyncs next) to follow and cancel. */
export function jobsRoutes(deps: Pick<AppDeps, 'storage' | 'clock'>): Hono {
  const r = new Hono();
  const { jobs } = deps.storage;
  r.get('/', (c) => {
    const query = readInput(JobPage, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const items = jobs.list({ shopId: query.value.shop, limit: query.value.limit, before: query.value.before });
    const now = deps.clock.now();
    return c.json({ items: items.map((j) => jobView(j, now)), nextBefore: items.length === query.value.limit ? items.at(-1)!.id : null });
  });
  r.get('/:id', (c) => {
    const id = jobId(c.req.param('id'));
    const job = id === null ? undefined : jobs.get(id);
    return job ? c.json(jobView(job, deps.clock.now())) : problem(c, 404, 'not_found', `no job ${c.req.param('id')}`);
  });
  // Cancels: the job takes no further step; what it queued stays queued.
  r.delete('/:id', (c) => {
    const id = jobId(c.req.param('id'));
    const job = id === null ? undefined : jobs.get(id);
    if (!job || id === null) return problem(c, 404, 'not_found', `no job ${c.req.param('id')}`);
    if (!jobs.cancel(id)) return problem(c, 409, 'job_finished', `job ${id} is ${jobs.get(id)!.state} already`);
    return c.json(jobView(jobs.get(id)!, deps.clock.now()));
  });
  return r;
}
