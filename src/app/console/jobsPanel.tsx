// A shop's latest backfills with their progress (resyncs have their own panel, resyncPanel.tsx), and the cancel
// button every job has. While one is unfinished the shop page keeps the figures moving (jobProgress.tsx).
import type { Hono } from 'hono';
import type { Job } from '../../core/jobs/jobBook.ts';
import { field, redirectWith, shopPath, type ConsoleContext } from './consoleContext.ts';
import type { Child } from 'hono/jsx';
import { backfillFigures, Figure, ProgressBar, unfinished, type JobFigures } from './jobProgress.tsx';
import { ActionButton, when } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';

export const JOB_REFRESH_SECONDS = 3;

/** A job's cancel button, which the progress script takes away once the job has ended. */
export function CancelJob({ job, csrf }: { job: Job; csrf: string }) {
  if (!unfinished(job)) return null;
  return <span data-cancel=""><ActionButton action={`/admin/jobs/${job.id}/cancel`} csrf={csrf} label="Cancel" kind="danger" fields={{ back: shopPath(job.shopId) }} /></span>;
}

export const destinationNames = (job: Job): string => job.destinations.map((d) => d.slice(job.shopId.length + 1)).join(', ');

/**
 * A job's row, as the console's script refills it (src/app/console/consoleScript.ts): its state and last error, its bar,
 * its figures (the children) and a cancel button while it runs.
 */
export function JobRow(props: { job: Job; figures: JobFigures; csrf: string; label: Child; children: Child }) {
  const { job, figures } = props;
  return (
    <tr data-job={job.id} data-state={job.state}>
      <td>{props.label}</td>
      <td><Figure figures={figures} name="state" /><br /><span class="error-text" data-field="error">{figures.fields.error}</span></td>
      <td style="min-width:14rem">
        <ProgressBar bar={figures.bar} />
        <div class="hint">{props.children}</div>
      </td>
      <td>{when(job.startedAt)}</td>
      <td><CancelJob job={job} csrf={props.csrf} /></td>
    </tr>
  );
}

export function JobsPanel({ jobs, csrf, held }: { jobs: Job[]; csrf: string; held: number }) {
  if (jobs.length === 0) return <p>No backfill has run for this shop.</p>;
  return (
    <div class="scroll">
      <table id="jobs">
        <thead><tr><th>Job</th><th>State</th><th>Progress</th><th>Started</th><th></th></tr></thead>
        <tbody>
          {jobs.map((job) => {
            const figures = backfillFigures(job, held);
            return (
              <JobRow job={job} figures={figures} csrf={csrf} label={<>#{job.id} {job.kind} → {destinationNames(job)}</>}>
                <Figure figures={figures} name="seen" /> looked at · <Figure figures={figures} name="queued" /> queued
                · <Figure figures={figures} name="skipped" /> had nothing to send · <Figure figures={figures} name="failed" /> failed
              </JobRow>
            );
          })}
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
