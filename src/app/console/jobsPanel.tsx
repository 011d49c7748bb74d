// A shop's latest jobs (backfills now; resyncs are jobs too) with their progress; the shop page reloads itself
// every few seconds while one is unfinished, so the bar moves without a script.
import type { Hono } from 'hono';
import type { Job } from '../../core/jobs/jobBook.ts';
import { COUNT_CAP } from '../cappedCount.ts';
import { field, redirectWith, shopPath, type ConsoleContext } from './consoleContext.ts';
import { ActionButton, when } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';

const SHOWN = 5;
export const JOB_REFRESH_SECONDS = 3;

export const unfinished = (job: Job): boolean => job.state === 'queued' || job.state === 'running';

export function shopJobs(ctx: ConsoleContext, shopId: string): Job[] {
  return ctx.deps.storage.jobs.list({ shopId, limit: SHOWN });
}

export function JobsPanel({ ctx, jobs, csrf, held }: { ctx: ConsoleContext; jobs: Job[]; csrf: string; held: number }) {
  if (jobs.length === 0) return <p>No backfill has run for this shop.</p>;
  return (
    <div class="scroll">
      <table id="jobs">
        <thead><tr><th>Job</th><th>State</th><th>Progress</th><th>Started</th><th></th></tr></thead>
        <tbody>
          {jobs.map((job) => (
            <tr data-job={job.id}>
              <td>#{job.id} {job.kind} → {job.destinations.map((d) => d.slice(job.shopId.length + 1)).join(', ')}</td>
              <td>{job.state}{job.lastError && <><br /><span class="error-text">{job.lastError}</span></>}</td>
              <td>
                {/* A backfill looks at the orders held; above the count's cap the bar only says it moves. */}
                {unfinished(job) && (held <= COUNT_CAP ? <progress value={job.seen} max={Math.max(held, job.seen, 1)} /> : <progress />)}
                <div class="hint">{job.seen} looked at · {job.queued} queued · {job.skipped} had nothing to send{job.failed > 0 ? ` · ${job.failed} failed` : ''}</div>
              </td>
              <td>{when(job.startedAt)}</td>
              <td>{unfinished(job) && <ActionButton action={`/admin/jobs/${job.id}/cancel`} csrf={csrf} label="Cancel" kind="danger" fields={{ back: shopPath(job.shopId) }} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function jobsRoutes(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  r.post('/jobs/:id/cancel', async (c) => {
    const form = await c.req.parseBody();
    const back = /^\/admin\//.test(field(form, 'back')) ? field(form, 'back') : '/admin';
    const id = /^\d{1,15}$/.test(c.req.param('id')) ? Number(c.req.param('id')) : NaN;
    const cancelled = Number.isSafeInteger(id) && ctx.deps.storage.jobs.cancel(id);
    return redirectWith(c, back, cancelled ? { ok: `Job ${id} cancelled; what it queued stays queued.` } : { error: `Job ${c.req.param('id')} is not running.` });
  });
}
