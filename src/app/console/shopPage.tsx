// GET /admin/shops/:shop: the shop's stores with their pipelines, what came in and went out over the day, its resyncs
// and backfills, and its latest orders; POST /admin/shops/:shop/resync starts a resync from the page's form.
import type { Hono } from 'hono';
import type { DestinationRow, ShopRow } from '../../core/shops/registry.ts';
import { COUNT_CAP } from '../cappedCount.ts';
import { ActivityChart } from './activityChart.tsx';
import { csrfOf, redirectWith, shopPath, type ConsoleContext, type ConsoleRequest } from './consoleContext.ts';
import { heldOf, JobFollower, jobProgressRoute, shopJobs, unfinished } from './jobProgress.tsx';
import { JOB_REFRESH_SECONDS, JobsPanel } from './jobsPanel.tsx';
import { defaultResyncForm, ResyncSection, resyncFormValues, startResyncFromForm, type ResyncFormValues } from './resyncPanel.tsx';
import { ActionButton, flashOf, Page, when } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';
import { countText, shopState, StateBadge } from './shopsPage.tsx';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const RECENT_ORDERS = 20;

/** The short id a destination was given ("engage"), from its full one ("woocommerce:shop.example:engage"). */
export const shortId = (d: Pick<DestinationRow, 'id' | 'shopId'>): string => d.id.slice(d.shopId.length + 1);

export const storePath = (d: Pick<DestinationRow, 'id' | 'shopId'>, action = ''): string =>
  `${shopPath(d.shopId)}/stores/${encodeURIComponent(shortId(d))}${action ? `/${action}` : ''}`;

function StoreCard({ ctx, destination: d, csrf, now }: { ctx: ConsoleContext; destination: DestinationRow; csrf: string; now: number }) {
  const { outbox } = ctx.deps.storage;
  const store = ctx.deps.stores.get(d.kind);
  const queued = outbox.countUpTo(COUNT_CAP + 1, d.id);
  const retry = outbox.lastRetry(d.id);
  const letters = ctx.activity.openLettersUpTo(d.id, COUNT_CAP + 1);
  const lettersLink = `/admin/dead-letters?destination=${encodeURIComponent(d.id)}`;
  return (
    <div class="card" data-destination={d.id}>
      <h3 style="margin:.1rem 0 .4rem">
        {store?.title ?? d.kind} <span class="hint">{shortId(d)}</span>{' '}
        {!d.enabled && <span class="state paused">paused</span>}
        {d.fromEnvironment && <span class="hint"> (from DESTINATION_*)</span>}
      </h3>
      <div class="scroll">
        <table>
          <thead><tr><th class="num">Queued</th><th class="num">Delivered last hour</th><th class="num">Dead letters</th><th>Retrying</th></tr></thead>
          <tbody>
            <tr>
              <td class="num" data-pipeline="queued">{countText(queued)}</td>
              <td class="num" data-pipeline="delivered">{outbox.tally.deliveredSince(d.id, now - HOUR_MS).toLocaleString('en')}</td>
              <td class="num" data-pipeline="dead-letters">{letters > 0 ? <a href={lettersLink}>{countText(letters)}</a> : '0'}</td>
              <td data-pipeline="retrying">
                {retry
                  ? <>{retry.attempts} attempts, next {when(retry.nextAttemptAt)}<br /><span class="error-text">{retry.lastError}</span></>
                  : 'no'}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <div class="actions">
        {!d.fromEnvironment && <a class="button quiet" href={storePath(d, 'edit')}>Edit</a>}
        {!d.fromEnvironment && <ActionButton action={storePath(d, d.enabled ? 'pause' : 'resume')} csrf={csrf} label={d.enabled ? 'Pause' : 'Resume'} kind="quiet" />}
        <ActionButton action={storePath(d, 'test')} csrf={csrf} label="Test connection" kind="quiet" />
        <ActionButton action={storePath(d, 'backfill')} csrf={csrf} label="Backfill held orders" kind="quiet"
          confirm="Queue every order this shop holds for this store?" />
        {letters > 0 && <ActionButton action="/admin/dead-letters/replay" csrf={csrf} label="Replay its dead letters" kind="quiet" fields={{ destination: d.id, back: shopPath(d.shopId) }} />}
        {!d.fromEnvironment && <ActionButton action={storePath(d, 'remove')} csrf={csrf} label="Remove" kind="danger"
          confirm="Remove this store? What is still queued for it is dropped; its dead letters stay." />}
      </div>
    </div>
  );
}

function RecentOrders({ ctx, shop }: { ctx: ConsoleContext; shop: ShopRow }) {
  const orders = ctx.activity.recentOrders(shop.id, RECENT_ORDERS);
  if (orders.length === 0) return <p>No order yet.</p>;
  return (
    <div class="scroll">
      <table id="recent-orders">
        <thead><tr><th>Order</th><th>Status</th><th>Updated at the shop</th><th>Delivered here</th></tr></thead>
        <tbody>
          {orders.map((o) => (
            <tr data-order={o.key}>
              <td>{o.key.slice(shop.id.length + 1)}</td>
              <td>{o.status ?? 'erased'}</td>
              <td>{when(o.sourceUpdatedAt)}</td>
              <td>{when(o.deliveredAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The shop page; `resync` brings back a refused resync form as it was sent, with why. */
function shopView(c: ConsoleRequest, ctx: ConsoleContext, shop: ShopRow, resync?: { values: ResyncFormValues; error: string }) {
  const now = ctx.deps.clock.now();
  const csrf = csrfOf(c);
  const since = now - DAY_MS;
  const last = ctx.activity.lastWebhookOf(shop.id);
  const destinations = ctx.deps.storage.shops.destinationsOf(shop.id);
  const { backfills, resyncs } = shopJobs(ctx, shop.id);
  const running = [...backfills, ...resyncs].some(unfinished);
  return (
    <Page title={shop.domain} csrf={csrf} flash={flashOf((n) => c.req.query(n))}
      {...(running ? { refresh: { seconds: JOB_REFRESH_SECONDS, url: shopPath(shop.id) } } : {})}>
      <p>
        {shop.platform} · <StateBadge state={shopState(shop, last)} /> · installed {when(shop.installedAt)}
        {shop.uninstalledAt && <> · uninstalled {when(shop.uninstalledAt)}</>} · last webhook {last ? when(last.lastWebhookAt) : 'none yet'}
      </p>
      <section>
        <h2 style="margin-top:0">Last 24 hours</h2>
        <ActivityChart now={now} series={[
          { label: 'webhooks received', colour: '#2d6cdf', perMinute: ctx.activity.webhooksPerMinute(shop.id, since) },
          { label: 'orders delivered', colour: '#2e7d32', perMinute: ctx.deps.storage.outbox.tally.perMinuteOfShop(shop.id, since) },
        ]} />
      </section>
      <h2>Stores</h2>
      {destinations.map((d) => <StoreCard ctx={ctx} destination={d} csrf={csrf} now={now} />)}
      <section>
        <h2 style="margin-top:0">Add a store</h2>
        <div class="actions">
          {ctx.deps.stores.kinds().filter((k) => k !== 'local').map((kind) => (
            <a class="button quiet" href={`${shopPath(shop.id)}/stores/new?kind=${encodeURIComponent(kind)}`}>{ctx.deps.stores.get(kind)!.title}</a>
          ))}
        </div>
      </section>
      <ResyncSection shop={shop} destinations={destinations} jobs={resyncs} csrf={csrf} now={now}
        values={resync?.values ?? defaultResyncForm(destinations, now)} {...(resync ? { error: resync.error } : {})} />
      <section>
        <h2 style="margin-top:0">Backfills</h2>
        <JobsPanel jobs={backfills} csrf={csrf} held={heldOf(ctx, shop.id, backfills)} />
      </section>
      <section>
        <h2 style="margin-top:0">Recent orders</h2>
        <RecentOrders ctx={ctx} shop={shop} />
      </section>
      {running && <JobFollower shopId={shop.id} />}
    </Page>
  );
}

export function shopPage(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  const noShop = (c: ConsoleRequest) => c.html(<Page title="No such shop" csrf={csrfOf(c)}><p><a href="/admin">Back to the shops</a></p></Page>, 404);
  r.get('/shops/:shop', (c) => {
    const shop = ctx.deps.storage.shops.get(c.req.param('shop'));
    return shop ? c.html(shopView(c, ctx, shop)) : noShop(c);
  });
  r.post('/shops/:shop/resync', async (c) => {
    const shop = ctx.deps.storage.shops.get(c.req.param('shop'));
    if (!shop) return noShop(c);
    const values = resyncFormValues(await c.req.parseBody({ all: true }));
    const started = await startResyncFromForm(ctx.deps, shop, values);
    if (!started.ok) return c.html(shopView(c, ctx, shop, { values, error: `Resync not started: ${started.message}.` }), started.status);
    const { job } = started;
    return redirectWith(c, shopPath(shop.id), { ok: `Resync ${job.id} queued: ${values.from} to ${values.to}, by ${values.by || 'created'}.` });
  });
  jobProgressRoute(r, ctx);
}
