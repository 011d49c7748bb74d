// The console through the real app in process (createApp over a SQLite file): sessions that must not be accepted
// (logged out ones included), the login form's own CSRF token, store forms generated from each store's settings schema
// and read back into the settings the schema expects, and the per-minute counts the shop page charts.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { STORES } from '../connectors/registry.ts';
import { Destinations } from '../src/core/shops/destinations.ts';
import { ShopActivity } from '../src/core/shops/shopActivity.ts';
import { ResyncWriter } from '../src/core/resync/resyncWriter.ts';
import { TOKEN, withConsole } from './support/consoleApp.ts';

describe('console sessions', () => {
  it('logs in with the admin token only, on a login form whose own token matches its cookie', async () => {
    const c = await withConsole();
    const page = await c.request('/admin/login');
    const formToken = c.hidden(page.text, '_csrf')!;
    expect(await c.request('/admin/login', { form: { _csrf: 'another', token: TOKEN } })).toMatchObject({ status: 403 });
    expect(await c.request('/admin/login', { form: { _csrf: formToken, token: 'wrong' } })).toMatchObject({ status: 401 });
    expect(c.cookies.has('ob_session')).toBe(false);
    const ok = await c.request('/admin/login', { form: { _csrf: formToken, token: TOKEN, next: '/admin/quarantine' } });
    expect(ok).toMatchObject({ status: 303, location: '/admin/quarantine' });
    const cookie = ok.setCookies.find((l) => l.startsWith('ob_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/); // plain http: a Secure cookie would never come back
    expect((await c.request('/admin/quarantine')).status).toBe(200);
  });

  it('shows an order a resync could not map in the quarantine page, with its job and order id', async () => {
    const c = await withConsole();
    new ResyncWriter(c.database.sqlite, c.storage.writer).quarantine(
      { orderId: '4711', error: 'total: not an amount: "twelve euros"', body: '{"id":4711,"total":"twelve euros"}' },
      { id: 7, shopId: 'woocommerce:shop.example' }, c.clock.now(),
    );
    await c.login();
    const page = await c.request('/admin/quarantine');
    expect(page.status).toBe(200);
    expect(page.text).toContain('woocommerce:shop.example · resync');
    expect(page.text).toContain('resync 7, order 4711');
    expect(page.text).toContain('resync 7: order 4711 did not map: total: not an amount: &quot;twelve euros&quot;');
  });

  it('sends a login elsewhere only to a console page', async () => {
    const c = await withConsole();
    for (const next of ['https://evil.example/', '//evil.example/admin', '/api/shops']) {
      const page = await c.request('/admin/login');
      const r = await c.request('/admin/login', { form: { _csrf: c.hidden(page.text, '_csrf')!, token: TOKEN, next } });
      expect(r.location, next).toBe('/admin');
    }
  });

  it('marks the cookie Secure behind https', async () => {
    const c = await withConsole({ publicUrl: 'https://orders.example.com' });
    expect((await c.login()).setCookies.find((l) => l.startsWith('ob_session='))).toMatch(/Secure/);
  });

  it('refuses a session that expired, a tampered one, and one signed under another admin token', async () => {
    const c = await withConsole();
    await c.login();
    const session = c.cookies.get('ob_session')!;
    expect((await c.request('/admin')).status).toBe(200);
    const [value, signature] = decodeURIComponent(session).split(/\.(?=[^.]*$)/);
    const [expires, id] = value!.split('.');
    // A later expiry with the same signature: the signature no longer fits.
    const stretched = encodeURIComponent(`${Number(expires) + 86_400_000}.${id}.${signature}`);
    expect((await c.request('/admin', { cookie: `ob_session=${stretched}` })).status).toBe(303);
    c.advance(12 * 3_600_000 + 1);
    expect(await c.request('/admin')).toMatchObject({ status: 303, location: '/admin/login?next=%2Fadmin' });

    const other = await withConsole({ adminToken: 'another-token' });
    expect((await other.request('/admin', { cookie: `ob_session=${session}` })).status).toBe(303);
  });

  it('without ADMIN_TOKEN has no login: every page says how to turn it on', async () => {
    const c = await withConsole({ adminToken: null });
    expect(await c.request('/admin')).toMatchObject({ status: 303, location: '/admin/login' });
    const login = await c.request('/admin/login');
    expect(login.status).toBe(503);
    expect(login.text).toContain('ADMIN_TOKEN');
  });

  it('logs out with the form (and its token), after which pages ask to log in', async () => {
    const c = await withConsole();
    await c.login();
    const page = await c.request('/admin');
    expect((await c.request('/admin/logout', { form: {} })).status).toBe(403);
    expect(await c.request('/admin/logout', { form: { _csrf: c.hidden(page.text, '_csrf')! } })).toMatchObject({ status: 303, location: '/admin/login' });
    expect((await c.request('/admin')).status).toBe(303);
  });

  it('ends the session server-side at logout: a copy of the old cookie opens nothing after, another session lives on', async () => {
    const c = await withConsole();
    await c.login();
    const old = `ob_session=${c.cookies.get('ob_session')!}`;
    const other = await withConsole(); // the same token, its own database: sessions are not shared by signature alone
    expect((await other.request('/admin', { cookie: old })).status).toBe(303);
    const page = await c.request('/admin');
    await c.login(); // a second session (another browser) of the same console
    const second = `ob_session=${c.cookies.get('ob_session')!}`;
    expect((await c.request('/admin', { cookie: old })).status).toBe(200);
    expect((await c.request('/admin/logout', { cookie: old, form: { _csrf: c.hidden(page.text, '_csrf')! } })).status).toBe(303);
    expect(await c.request('/admin', { cookie: old })).toMatchObject({ status: 303, location: '/admin/login?next=%2Fadmin' });
    expect((await c.request('/admin/quarantine', { cookie: old, form: { _csrf: c.hidden(page.text, '_csrf')! } })).status).toBe(401);
    expect((await c.request('/admin', { cookie: second })).status).toBe(200);
    expect(c.database.sqlite.prepare('SELECT count(*) FROM console_sessions').pluck().get()).toBe(1);
  });
});

describe('store forms from settings schemas', () => {
  const shop = 'woocommerce:shop.example';

  it('has a field for every setting of every store', async () => {
    const c = await withConsole();
    c.storage.shops.ensure('woocommerce', 'shop.example');
    await c.login();
    for (const store of STORES) {
      const page = await c.request(`/admin/shops/${encodeURIComponent(shop)}/stores/new?kind=${store.kind}`);
      expect(page.status, store.kind).toBe(200);
      const settings = z.toJSONSchema(store.settingsSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown> };
      for (const name of Object.keys(settings.properties)) expect(page.text, `${store.kind}.${name}`).toMatch(new RegExp(`name="[sj]\\.${name}[".]`));
      expect(page.text.includes('name="secret"'), store.kind).toBe(store.requiresSecret);
    }
  });

  it('reads the posted fields back into the settings the schema expects: nested groups, choices, numbers, JSON, defaults for blanks', async () => {
    const c = await withConsole();
    c.storage.shops.ensure('woocommerce', 'shop.example');
    await c.login();
    const page = await c.request(`/admin/shops/${encodeURIComponent(shop)}/stores/new?kind=voyado`);
    const csrf = c.hidden(page.text, '_csrf')!;
    const post = (form: Record<string, string>) => c.request(`/admin/shops/${encodeURIComponent(shop)}/stores`, { form: { _csrf: csrf, kind: 'voyado', id: 'voyado', enabled: 'true', ...form } });
    const refused = await post({ secret: 'k', 's.tenant': 'acme', 's.baseUrl': 'https://acme.voyado.com', 'j.contactMatchKeys': '["Email",' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('settings.contactMatchKeys: not JSON');
    const wrong = await post({ secret: 'k', 's.tenant': 'Not A Tenant', 's.baseUrl': 'https://acme.voyado.com' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('settings.tenant');
    expect(wrong.text).toContain('value="https://acme.voyado.com"'); // what was typed stays in the form
    expect(c.storage.shops.destination(`${shop}:voyado`)).toBeUndefined();

    const saved = await post({
      secret: 'voyado-key', 's.tenant': 'acme', 's.baseUrl': 'https://acme.voyado.com', 's.sendTestOrders': 'true', 's.jobMaxPolls': '7',
      's.actions.created': 'ConfirmDelivery', 'j.contactMatchKeys': '["Email"]', 'j.statuses': '{"paid":"Completed"}', 's.channel': '', requestsPerSecond: '5',
    });
    expect(saved).toMatchObject({ status: 303 });
    const row = c.storage.shops.destination(`${shop}:voyado`)!;
    const expected = STORES.find((s) => s.kind === 'voyado')!.settingsSchema.parse({
      tenant: 'acme', baseUrl: 'https://acme.voyado.com', sendTestOrders: true, jobMaxPolls: 7, actions: { created: 'ConfirmDelivery' },
      contactMatchKeys: ['Email'], statuses: { paid: 'Completed' },
    });
    expect(JSON.parse(row.settings)).toEqual(expected);
    expect(row.requestsPerSecond).toBe(5);
    expect(await c.deps.secrets.open(row.secretSealed!)).toBe('voyado-key');

    // The edit form shows what is stored, and a save with the key left blank keeps the key.
    const edit = await c.request(`/admin/shops/${encodeURIComponent(shop)}/stores/voyado/edit`);
    expect(edit.text).toContain('value="acme"');
    expect(edit.text).toMatch(/<option value="ConfirmDelivery" selected="">/);
    await post({ 's.tenant': 'acme', 's.baseUrl': 'https://acme.voyado.com', 'j.contactMatchKeys': '["Email"]' });
    const kept = c.storage.shops.destination(`${shop}:voyado`)!;
    expect(await c.deps.secrets.open(kept.secretSealed!)).toBe('voyado-key');
    expect(JSON.parse(kept.settings).sendTestOrders).toBe(false); // blank: the default again
  });
});

describe('store buttons', () => {
  it('queues a backfill as a job the shop page follows (reloading itself while it is unfinished, no inline script under its CSP), and cancels it', async () => {
    const c = await withConsole();
    const shop = c.storage.shops.ensure('woocommerce', 'shop.example');
    await c.login();
    const page = await c.request(`/admin/shops/${encodeURIComponent(shop.id)}`);
    expect(page.text).toContain('No backfill has run');
    expect(page.text).not.toContain('http-equiv="refresh"');
    const csrf = c.hidden(page.text, '_csrf')!;
    const queued = await c.request(`/admin/shops/${encodeURIComponent(shop.id)}/stores/local/backfill`, { form: { _csrf: csrf } });
    expect(queued.status).toBe(303);
    expect(decodeURIComponent(queued.location!)).toMatch(/Backfill queued as job 1/);
    const [job] = c.storage.jobs.list({ shopId: shop.id, limit: 5 });
    expect(job).toMatchObject({ kind: 'backfill', state: 'queued', destinations: [`${shop.id}:local`] });
    const following = await c.request(queued.location!);
    expect(following.text).toContain('data-job="1"');
    expect(following.text).toContain(`http-equiv="refresh" content="3;url=/admin/shops/${encodeURIComponent(shop.id)}"`);
    // No script runs but /admin/console.js (its CSP): the page names where the jobs' figures are, it holds no script of its own.
    const csp = following.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Browsers hold a form's redirects to form-action too: the install forms end at the shop's own authorize page.
    expect(csp).not.toContain('form-action');
    expect(following.headers.get('strict-transport-security')).toBeNull();
    expect(following.text).toContain(`data-jobs="/admin/shops/${encodeURIComponent(shop.id)}/jobs.json"`);
    expect(following.text.match(/<script[^>]*>/g)).toEqual(['<script src="/admin/console.js" defer="">']);
    expect(following.text).not.toMatch(/\son[a-z]+=/);
    expect(following.text).toContain('data-confirm="Queue every order this shop holds for this store?"');
    expect(following.headers.get('x-frame-options')).toBe('DENY');
    expect(following.headers.get('cache-control')).toBe('no-store');
    const script = await c.app.request('/admin/console.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain("querySelector('[data-jobs]')");
    const cancelled = await c.request('/admin/jobs/1/cancel', { form: { _csrf: csrf, back: `/admin/shops/${encodeURIComponent(shop.id)}` } });
    expect(decodeURIComponent(cancelled.location!)).toContain('Job 1 cancelled');
    expect(c.storage.jobs.get(1)!.state).toBe('cancelled');
    expect((await c.request(cancelled.location!)).text).not.toContain('http-equiv="refresh"');
  });

  it('pauses and resumes a store, and tests its connection where the store has a check', async () => {
    const c = await withConsole();
    const shop = c.storage.shops.ensure('woocommerce', 'shop.example');
    await c.login();
    const csrf = c.hidden((await c.request('/admin')).text, '_csrf')!;
    const base = `/admin/shops/${encodeURIComponent(shop.id)}/stores/local`;
    await c.request(`${base}/pause`, { form: { _csrf: csrf } });
    expect(c.storage.shops.destination(`${shop.id}:local`)!.enabled).toBe(false);
    expect((await c.request(`/admin/shops/${encodeURIComponent(shop.id)}`)).text).toContain('class="state paused"');
    await c.request(`${base}/resume`, { form: { _csrf: csrf } });
    expect(c.storage.shops.destination(`${shop.id}:local`)!.enabled).toBe(true);
    const tested = await c.request(`${base}/test`, { form: { _csrf: csrf } });
    expect(decodeURIComponent(tested.location!)).toContain('ok=local: connection works (the local store is this database)');
  });
});

describe('test connection', () => {
  it('runs ExpertSender\'s check against its simulator: a good key works, a wrong one is named as refused', async () => {
    const c = await withConsole();
    const shop = c.storage.shops.ensure('woocommerce', 'shop.example');
    const expertsender = STORES.find((s) => s.kind === 'expertsender')!;
    const sim = await expertsender.simulator.start({});
    try {
      const { settings, secret } = sim.destination;
      expect(await new Destinations({ ...c.deps, shops: c.storage.shops, outbox: c.storage.outbox }).put(shop.id, { kind: 'expertsender', settings, secret: secret! })).toHaveProperty('row');
      await c.login();
      const csrf = c.hidden((await c.request('/admin')).text, '_csrf')!;
      const test = async () => decodeURIComponent((await c.request(`/admin/shops/${encodeURIComponent(shop.id)}/stores/expertsender/test`, { form: { _csrf: csrf } })).location!);
      expect(await test()).toContain('ok=expertsender: connection works (the API key was accepted (GET /orders answered 404))');
      await new Destinations({ ...c.deps, shops: c.storage.shops, outbox: c.storage.outbox }).put(shop.id, { kind: 'expertsender', secret: 'a-wrong-key' });
      const refused = await test();
      expect(refused).toContain('error=expertsender: ExpertSender refused the API key (401)');
      expect(refused).not.toContain('a-wrong-key');
      expect(sim.accepted()).toBe(0); // a check writes nothing
    } finally {
      await sim.close();
    }
  });
});

describe('the counts the shop page charts', () => {
  it('finds the day\'s first receipt by rowid and counts a shop\'s webhooks and deliveries per minute', async () => {
    const c = await withConsole();
    const insert = c.database.sqlite.prepare('INSERT INTO receipts (id, shop_id, topic, outcome, received_at) VALUES (?, ?, ?, ?, ?)');
    const start = Date.UTC(2026, 11, 4, 0);
    // Every 7 minutes over two days, alternating between two shops.
    c.database.sqlite.transaction(() => {
      for (let i = 0; i < 412; i++) insert.run(`r${i}`, i % 2 ? 'shop:a' : 'shop:b', 'orders/create', 'accepted', start + i * 7 * 60_000);
    })();
    const activity = new ShopActivity(c.database.db);
    const since = Date.UTC(2026, 11, 5, 0);
    const first = activity.firstReceiptSince(since);
    const at = (rowid: number) => c.database.sqlite.prepare('SELECT received_at FROM receipts WHERE rowid = ?').pluck().get(rowid) as number;
    expect(at(first)).toBeGreaterThanOrEqual(since);
    expect(at(first - 1)).toBeLessThan(since);
    expect(activity.firstReceiptSince(start + 10 * 86_400_000)).toBeGreaterThan(412); // nothing that late: an empty window

    const perMinute = activity.webhooksPerMinute('shop:a', since);
    const expected = new Map<number, number>();
    for (let i = 0; i < 412; i++) {
      const t = start + i * 7 * 60_000;
      if (i % 2 && t >= since) expected.set(Math.floor(t / 60_000), 1);
    }
    expect(perMinute).toEqual(expected);
    expect(activity.trafficSince(since).get('shop:a')).toEqual({ lastWebhookAt: start + 411 * 7 * 60_000, lastOutcome: 'accepted' });

    const { tally } = c.storage.outbox;
    tally.record('shop:a:engage', since + 1_000, 3);
    tally.record('shop:a:engage', since + 59_000, 2);
    tally.record('shop:a:local', since + 61_000, 4);
    tally.record('shop:ab:engage', since + 1_000, 100); // another shop whose id begins alike
    expect(tally.perMinuteOfShop('shop:a', since)).toEqual(new Map([[since / 60_000, 5], [since / 60_000 + 1, 4]]));
    expect(tally.deliveredSince('shop:a:engage', since)).toBe(5);
    expect(tally.prune(since + 60_000)).toBe(2);
    expect(tally.deliveredSince('shop:a:engage', since)).toBe(0);
  });
});
