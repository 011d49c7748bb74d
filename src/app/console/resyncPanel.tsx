// The shop page's resync: a form for a date range read again from the platform (as POST /api/shops/:shop/resync
// starts one), or why this shop cannot be read; and its latest resyncs with their progress and a cancel button.
import { ResyncInput, cannotResync, startResync, type ResyncStart } from '../admin/resyncRoutes.ts';
import { readInput } from '../admin/query.ts';
import type { Job } from '../../core/jobs/jobBook.ts';
import type { ResyncOptions } from '../../core/resync/resyncJobs.ts';
import type { DestinationRow, ShopRow } from '../../core/shops/registry.ts';
import type { AppDeps } from '../appDeps.ts';
import { shopPath } from './consoleContext.ts';
import { Figure, resyncFigures } from './jobProgress.tsx';
import { destinationNames, JobRow } from './jobsPanel.tsx';
import { CsrfField, when } from './layout.tsx';

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** What the form holds: as typed, so a refused form comes back as it was sent. */
export interface ResyncFormValues { from: string; to: string; by: string; destinations: string[]; force: boolean }

/** The last 30 days up to and with today, to every store, changed orders only. */
export function defaultResyncForm(destinations: DestinationRow[], now: number): ResyncFormValues {
  return { from: day(now - 30 * DAY_MS), to: day(now + DAY_MS), by: 'created', destinations: destinations.map((d) => d.id.slice(d.shopId.length + 1)), force: false };
}

/** The form's fields as posted (checkboxes: every ticked store, `force` when ticked). */
export function resyncFormValues(form: Record<string, unknown>): ResyncFormValues {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const ticked = form.destinations;
  return {
    from: text(form.from), to: text(form.to), by: text(form.by),
    destinations: (Array.isArray(ticked) ? ticked : [ticked]).map(text).filter(Boolean), force: text(form.force) === 'true',
  };
}

/** Queues the resync the form asks for, through the same core as the API; a refusal says why in the API's words. */
export async function startResyncFromForm(deps: Pick<AppDeps, 'storage'>, shop: ShopRow, values: ResyncFormValues): Promise<ResyncStart> {
  if (values.destinations.length === 0) return { ok: false, status: 400, error: 'invalid_body', message: 'tick at least one store to send the orders to' };
  const input = readInput(ResyncInput, { ...values, by: values.by || 'created' });
  if (!input.ok) return { ok: false, status: 400, error: 'invalid_body', message: input.message };
  return startResync(deps, shop, input.value);
}

/** Where a shop without API credentials gets them, in the console. */
function HowToConnect({ shop }: { shop: ShopRow }) {
  return shop.platform === 'shopify'
    ? <>Give it an Admin API token: <a href="/admin/connect/shopify-custom">connect it as a custom-app shop</a> or <a href="/admin/connect/shopify">install it again</a>.</>
    : <>Connect it again with its REST API keys: <a href="/admin/connect/woocommerce">connect a WooCommerce shop</a>.</>;
}

function ResyncForm({ shop, destinations, values, csrf }: { shop: ShopRow; destinations: DestinationRow[]; values: ResyncFormValues; csrf: string }) {
  return (
    <form method="post" action={`${shopPath(shop.id)}/resync`} id="resync-form">
      <CsrfField token={csrf} />
      <div class="actions">
        <span><label for="resync-from">From</label><input id="resync-from" name="from" type="date" value={values.from} required /></span>
        <span><label for="resync-to">Up to (not including)</label><input id="resync-to" name="to" type="date" value={values.to} required /></span>
        <span>
          <label for="resync-by">Dates are when orders were</label>
          <select id="resync-by" name="by">
            <option value="created" selected={values.by !== 'updated'}>created</option>
            <option value="updated" selected={values.by === 'updated'}>last updated</option>
          </select>
        </span>
      </div>
      <fieldset>
        <legend>Send to</legend>
        {destinations.map((d) => {
          const name = d.id.slice(d.shopId.length + 1);
          return <label><input type="checkbox" name="destinations" value={name} checked={values.destinations.includes(name)} /> {name} <span class="hint">({d.kind})</span></label>;
        })}
      </fieldset>
      <label><input type="checkbox" name="force" value="true" checked={values.force} /> Send every order again, also those the stores have as they are</label>
      <p><button type="submit">Start resync</button></p>
    </form>
  );
}

function ResyncJobs({ jobs, csrf, now }: { jobs: Job[]; csrf: string; now: number }) {
  if (jobs.length === 0) return <p>No resync has run for this shop.</p>;
  return (
    <div class="scroll">
      <table id="resyncs">
        <thead><tr><th>Resync</th><th>State</th><th>Progress</th><th>Started</th><th></th></tr></thead>
        <tbody>
          {jobs.map((job) => {
            const figures = resyncFigures(job, now);
            const options = job.options as unknown as ResyncOptions;
            return (
              <JobRow job={job} figures={figures} csrf={csrf} label={<>
                #{job.id} {when(job.rangeFrom).slice(0, 10)} → {when(job.rangeTo).slice(0, 10)} by {options.by ?? 'created'}
                {options.force ? ' (force)' : ''}{options.reconcile ? ' (reconciliation)' : ''}<br /><span class="hint">→ {destinationNames(job)}</span>
              </>}>
                pages read <Figure figures={figures} name="pages" /> · orders seen <Figure figures={figures} name="seen" /> of <Figure figures={figures} name="total" />
                · <Figure figures={figures} name="queued" /> queued · <Figure figures={figures} name="unchanged" /> unchanged
                · <Figure figures={figures} name="failed" /> failed · <Figure figures={figures} name="rate" /> · ETA <Figure figures={figures} name="eta" />
              </JobRow>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ResyncSection(props: {
  shop: ShopRow; destinations: DestinationRow[]; jobs: Job[]; csrf: string; now: number; values: ResyncFormValues; error?: string;
}) {
  const { shop, csrf } = props;
  const reason = cannotResync(shop);
  return (
    <section id="resync">
      <h2 style="margin-top:0">Resync</h2>
      <p class="hint">Reads the shop's orders of a date range again from {shop.platform === 'shopify' ? 'Shopify' : 'WooCommerce'} and sends the stores what they do not have as it is.</p>
      {props.error && <div class="flash error" role="alert" id="resync-error">{props.error}</div>}
      {reason
        ? <p id="resync-unavailable"><span class="error-text">Cannot resync: {reason}.</span> <HowToConnect shop={shop} /></p>
        : <ResyncForm shop={shop} destinations={props.destinations} values={props.values} csrf={csrf} />}
      <ResyncJobs jobs={props.jobs} csrf={csrf} now={props.now} />
    </section>
  );
}
