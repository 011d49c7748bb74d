// A shop's stores: the add/edit form (generated from the store's settings schema) and the buttons of each store
// (pause, resume, remove, backfill, test connection). Changes go through the core's Destinations, as the API's do.
import type { Hono } from 'hono';
import { BACKFILL } from '../../core/delivery/backfill.ts';
import type { ConnectionCheck, StoreDefinition } from '../../core/delivery/destination.ts';
import { rowSettings } from '../../core/shops/destinations.ts';
import { destinationId, type DestinationRow, type ShopRow } from '../../core/shops/registry.ts';
import { csrfOf, field, redirectWith, shopPath, type ConsoleContext, type ConsoleRequest } from './consoleContext.ts';
import { CsrfField, Page } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';
import { readSettings, SettingsFields, settingsFields } from './settingsForm.tsx';
import { shortId } from './shopPage.tsx';

interface FormValues {
  id: string;
  settings: unknown;
  requestsPerSecond: string;
  enabled: boolean;
}

function StoreForm({ csrf, shop, store, editing, values, error }: {
  csrf: string; shop: ShopRow; store: StoreDefinition; editing: DestinationRow | null; values: FormValues; error?: string;
}) {
  return (
    <Page title={`${editing ? 'Edit' : 'Add'} ${store.title} · ${shop.domain}`} csrf={csrf} flash={error ? { text: error, error: true } : null}>
      <section>
        <form method="post" action={`${shopPath(shop.id)}/stores`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="kind" value={store.kind} />
          {editing
            ? <input type="hidden" name="id" value={values.id} />
            : <>
                <label for="id">Name <span class="hint">(letters, digits, dot, dash, underscore; two of one store need two names)</span></label>
                <input id="id" name="id" type="text" value={values.id} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" maxlength={64} required />
              </>}
          {store.requiresSecret && (
            <>
              <label for="secret">API key or token <span class="hint">{editing?.secretSealed ? '(leave blank to keep the current one)' : '(required)'}</span></label>
              <input id="secret" name="secret" type="password" autocomplete="off" required={!editing?.secretSealed} />
            </>
          )}
          <SettingsFields fields={settingsFields(store.settingsSchema)} values={values.settings} />
          <label for="requestsPerSecond">Requests per second <span class="hint">(blank: the store's {store.requestsPerSecond ?? 'no'} limit; 0: none)</span></label>
          <input id="requestsPerSecond" name="requestsPerSecond" type="number" min="0" step="1" value={values.requestsPerSecond} />
          <label><input type="checkbox" name="enabled" value="true" checked={values.enabled} /> Deliver to it (unticked: paused)</label>
          <p><button type="submit">{editing ? 'Save' : 'Add store'}</button> <a href={shopPath(shop.id)}>Cancel</a></p>
        </form>
      </section>
    </Page>
  );
}

/** The console's own try of the store's cheapest read: the settings and key as delivery would open them. */
async function checkConnection(ctx: ConsoleContext, store: StoreDefinition, row: DestinationRow): Promise<ConnectionCheck | null> {
  if (!store.checkConnection) return null;
  const settings = rowSettings(store, row);
  if (!settings.ok) return { ok: false, detail: settings.message };
  const secret = row.secretSealed ? await ctx.deps.secrets.open(row.secretSealed) : '';
  try {
    return await store.checkConnection({
      settings: settings.settings, secret, now: () => ctx.deps.clock.now(), sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
      fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(store.timeoutMs) }),
    });
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

export function storePages(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  const { shops } = ctx.deps.storage;
  /** The shop and destination a store button names, or the answer for a missing one. */
  const named = (c: ConsoleRequest): { shop: ShopRow; destination: DestinationRow } | Response => {
    const shop = shops.get(c.req.param('shop')!);
    if (!shop) return redirectWith(c, '/admin', { error: `No shop ${c.req.param('shop')}.` });
    const destination = shops.destination(destinationId(shop.id, c.req.param('id')!));
    if (destination?.shopId !== shop.id) return redirectWith(c, shopPath(shop.id), { error: `No store ${c.req.param('id')} on this shop.` });
    return { shop, destination };
  };

  r.get('/shops/:shop/stores/new', (c) => {
    const shop = shops.get(c.req.param('shop'));
    const store = ctx.deps.stores.get(c.req.query('kind') ?? '');
    if (!shop || !store) return redirectWith(c, shop ? shopPath(shop.id) : '/admin', { error: 'Choose a store from the list.' });
    return c.html(<StoreForm csrf={csrfOf(c)} shop={shop} store={store} editing={null} values={{ id: store.kind, settings: {}, requestsPerSecond: '', enabled: true }} />);
  });

  r.get('/shops/:shop/stores/:id/edit', (c) => {
    const found = named(c);
    if (found instanceof Response) return found;
    const { shop, destination: d } = found;
    const store = ctx.deps.stores.get(d.kind);
    if (!store) return redirectWith(c, shopPath(shop.id), { error: `This build has no store ${d.kind}.` });
    return c.html(<StoreForm csrf={csrfOf(c)} shop={shop} store={store} editing={d}
      values={{ id: shortId(d), settings: JSON.parse(d.settings) as unknown, requestsPerSecond: d.requestsPerSecond?.toString() ?? '', enabled: d.enabled }} />);
  });

  r.post('/shops/:shop/stores', async (c) => {
    const shop = shops.get(c.req.param('shop'));
    if (!shop) return redirectWith(c, '/admin', { error: `No shop ${c.req.param('shop')}.` });
    const form = await c.req.parseBody();
    const store = ctx.deps.stores.get(field(form, 'kind'));
    if (!store) return redirectWith(c, shopPath(shop.id), { error: 'Choose a store from the list.' });
    const id = field(form, 'id') || store.kind;
    const existing = shops.destination(destinationId(shop.id, id));
    const editing = existing?.shopId === shop.id && existing.kind === store.kind ? existing : null;
    const rate = field(form, 'requestsPerSecond');
    const read = readSettings(settingsFields(store.settingsSchema), form);
    const values: FormValues = { id, settings: read.ok ? read.settings : {}, requestsPerSecond: rate, enabled: form.enabled === 'true' };
    const again = (error: string, status: 400 | 409) => c.html(<StoreForm csrf={csrfOf(c)} shop={shop} store={store} editing={editing} values={values} error={error} />, status);
    if (!read.ok) return again(read.message, 400);
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id) || id.length > 64) return again('name: letters, digits, dot, dash, underscore (64 at most)', 400);
    if (rate !== '' && !/^\d{1,6}$/.test(rate)) return again('requests per second: a whole number, or blank', 400);
    const secret = field(form, 'secret');
    const put = await ctx.destinations.put(shop.id, {
      id, kind: store.kind, settings: read.settings, enabled: values.enabled, requestsPerSecond: rate === '' ? null : Number(rate), ...(secret ? { secret } : {}),
    });
    if ('error' in put) return again(put.message, put.error === 'configured_by_environment' ? 409 : 400);
    ctx.deps.storage.onCommit();
    return redirectWith(c, shopPath(shop.id), { ok: `${store.title} ${put.created ? 'added' : 'saved'}${values.enabled ? '' : ' (paused)'}.` });
  });

  for (const [action, enabled] of [['pause', false], ['resume', true]] as const) {
    r.post(`/shops/:shop/stores/:id/${action}`, async (c) => {
      const found = named(c);
      if (found instanceof Response) return found;
      const { shop, destination: d } = found;
      const put = await ctx.destinations.put(shop.id, { id: d.id, kind: d.kind, enabled });
      if ('error' in put) return redirectWith(c, shopPath(shop.id), { error: put.message });
      ctx.deps.storage.onCommit();
      return redirectWith(c, shopPath(shop.id), { ok: `${shortId(d)} ${enabled ? 'resumed' : 'paused'}.` });
    });
  }

  r.post('/shops/:shop/stores/:id/remove', (c) => {
    const found = named(c);
    if (found instanceof Response) return found;
    const { shop, destination: d } = found;
    if (d.fromEnvironment) return redirectWith(c, shopPath(shop.id), { error: `${shortId(d)} comes from DESTINATION_KIND: unset it (and restart) first.` });
    const removed = shops.removeDestination(shop.id, d.id);
    return redirectWith(c, shopPath(shop.id), removed
      ? { ok: `${shortId(d)} removed; ${removed.queuedRowsDropped} queued rows dropped.` }
      : { error: `${shortId(d)} was removed already.` });
  });

  r.post('/shops/:shop/stores/:id/backfill', async (c) => {
    const found = named(c);
    if (found instanceof Response) return found;
    const { shop, destination: d } = found;
    const { jobs, ingest } = ctx.deps.storage;
    const job = jobs.create({ kind: BACKFILL, shopId: shop.id, destinations: [d.id], range: {} });
    await ingest.durable();
    ctx.deps.storage.onJobQueued();
    return redirectWith(c, shopPath(shop.id), { ok: `Backfill queued as job ${job.id}: every order held goes to ${shortId(d)}, paced behind webhooks.` });
  });

  r.post('/shops/:shop/stores/:id/test', async (c) => {
    const found = named(c);
    if (found instanceof Response) return found;
    const { shop, destination: d } = found;
    const store = ctx.deps.stores.get(d.kind);
    if (!store) return redirectWith(c, shopPath(shop.id), { error: `This build has no store ${d.kind}.` });
    const check = await checkConnection(ctx, store, d);
    if (!check) {
      return redirectWith(c, shopPath(shop.id), {
        ok: `Cannot test ${store.title}: it offers no call that reads without writing. Its pipeline below shows whether orders go through.`,
      });
    }
    return redirectWith(c, shopPath(shop.id), check.ok ? { ok: `${shortId(d)}: connection works (${check.detail}).` } : { error: `${shortId(d)}: ${check.detail}` });
  });
}
