// The console's Shopify custom-app connect (against the Shopify simulator) and the shop page's resync form, through
// the real app in process: refusals said in the form as it was sent, secrets never echoed, CSRF as every form, and
// the figures the progress script reads.
import { describe, expect, it } from 'vitest';
import { routeShopifyShop } from '../connectors/platforms/shopify/admin/index.ts';
import { SHOPIFY_WEBHOOK_TOPICS } from '../connectors/platforms/shopify/install/topics.ts';
import { startShopifySimulator } from '../connectors/platforms/shopify/simulator/simulator.ts';
import { Destinations } from '../src/core/shops/destinations.ts';
import { withConsole } from './support/consoleApp.ts';

describe('connect a custom-app Shopify shop', () => {
  const SHOP = 'console-custom.myshopify.com';
  const TOKEN_AT_SHOP = 'shpat_console_custom_token';
  const APP_SECRET = 'console-custom-app-secret';

  it('checks the token with the simulator, shows refusals in the form (secrets never echoed), and lands on the shop page', async () => {
    const sim = await startShopifySimulator({ shop: SHOP, accessToken: TOKEN_AT_SHOP, apiSecret: APP_SECRET, orders: 1 });
    const unroute = routeShopifyShop(SHOP, sim.url);
    try {
      const c = await withConsole();
      await c.login();
      const page = await c.request('/admin/connect/shopify-custom');
      expect(page.text).not.toContain('custom-app-placeholder');
      expect(page.text).toContain('value="http://localhost/webhooks/shopify"'); // the address this console is reached at
      const csrf = c.hidden(page.text, '_csrf')!;
      const post = (form: Record<string, string>) => c.request('/admin/connect/shopify-custom', { form: { _csrf: csrf, deliveryUrl: 'http://127.0.0.1:9/webhooks/shopify', ...form } });

      expect((await c.request('/admin/connect/shopify-custom', { form: { shop: SHOP, accessToken: TOKEN_AT_SHOP, apiSecret: APP_SECRET } })).status).toBe(403);
      const domain = await post({ shop: 'shop.example.com', accessToken: TOKEN_AT_SHOP, apiSecret: APP_SECRET });
      expect(domain.status).toBe(400);
      expect(domain.text).toContain('myshopify.com');
      expect(domain.text).toContain('value="shop.example.com"');
      const missing = await post({ shop: SHOP, accessToken: TOKEN_AT_SHOP });
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('API secret key is needed');
      const refused = await post({ shop: SHOP, accessToken: 'shpat_not_this_one', apiSecret: APP_SECRET });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('Not connected:');
      expect(refused.text).toContain(`value="${SHOP}"`);
      for (const answer of [domain, missing, refused]) {
        expect(answer.text).not.toContain(TOKEN_AT_SHOP);
        expect(answer.text).not.toContain('shpat_not_this_one');
        expect(answer.text).not.toContain(APP_SECRET);
      }
      expect(c.storage.shops.get(`shopify:${SHOP}`)).toBeUndefined();
      expect(sim.subscriptions).toEqual([]);

      const connected = await post({ shop: ` ${SHOP.toUpperCase()} `, accessToken: TOKEN_AT_SHOP, apiSecret: APP_SECRET });
      expect(connected.status).toBe(303);
      expect(connected.location).toMatch(new RegExp(`^/admin/shops/${encodeURIComponent(`shopify:${SHOP}`)}\\?ok=`));
      expect(decodeURIComponent(connected.location!)).toContain(`Connected ${SHOP}: ${SHOPIFY_WEBHOOK_TOPICS.length} webhooks subscribed, 0 already there.`);
      const row = c.storage.shops.get(`shopify:${SHOP}`)!;
      expect(JSON.parse(await c.deps.secrets.open(row.credentialsSealed!))).toEqual({ accessToken: TOKEN_AT_SHOP });
      expect(await c.deps.secrets.open(row.webhookSecretSealed!)).toBe(APP_SECRET);
      expect(sim.subscriptions.map((s) => s.uri)).toEqual(SHOPIFY_WEBHOOK_TOPICS.map(() => 'http://127.0.0.1:9/webhooks/shopify'));
      const shopPage = await c.request(connected.location!);
      expect(shopPage.text).toContain('webhooks subscribed');
      expect(shopPage.text).not.toContain(TOKEN_AT_SHOP);
      expect(shopPage.text).toContain('id="resync-form"'); // a token: its history can be read again
    } finally {
      unroute();
      await sim.close();
    }
  });
});

describe('resync from the shop page', () => {
  const shopId = 'shopify:console-resync.myshopify.com';
  const path = `/admin/shops/${encodeURIComponent(shopId)}`;

  async function shopWithToken() {
    const c = await withConsole();
    const shop = c.storage.shops.ensure('shopify', 'console-resync.myshopify.com');
    c.storage.shops.update(shop.id, { credentialsSealed: await c.deps.secrets.seal(JSON.stringify({ accessToken: 'shpat_resync' })) });
    await new Destinations({ ...c.deps, shops: c.storage.shops, outbox: c.storage.outbox }).put(shop.id, { kind: 'engage', id: 'eng', secret: 'k' });
    await c.login();
    return c;
  }

  it('a shop without API credentials shows why (and where to get them) instead of the form', async () => {
    const c = await withConsole();
    const shop = c.storage.shops.ensure('woocommerce', 'keyless.example');
    await c.login();
    const page = await c.request(`/admin/shops/${encodeURIComponent(shop.id)}`);
    expect(page.text).not.toContain('resync-placeholder');
    expect(page.text).not.toContain('id="resync-form"');
    expect(page.text).toMatch(/id="resync-unavailable".*has no API credentials to read its orders with.*href="\/admin\/connect\/woocommerce"/s);
    const post = await c.request(`/admin/shops/${encodeURIComponent(shop.id)}/resync`, { form: { _csrf: c.hidden(page.text, '_csrf')!, from: '2026-01-01', to: '2026-02-01', destinations: 'local' } });
    expect(post.status).toBe(409);
    expect(c.storage.jobs.list({ limit: 5 })).toEqual([]);
  });

  it('queues the resync the form asks for; refusals come back in the form as it was sent; the page follows the job with a script', async () => {
    const c = await shopWithToken();
    const page = await c.request(path);
    expect(page.text).toContain('id="resync-form"');
    expect(page.text).toContain('name="destinations" value="local" checked=""');
    expect(page.text).toContain('name="destinations" value="eng" checked=""');
    expect(page.text).toContain('No resync has run for this shop.');
    const csrf = c.hidden(page.text, '_csrf')!;
    const post = (form: Record<string, string | string[]>) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries({ _csrf: csrf, ...form })) for (const one of [v].flat()) body.append(k, one);
      return c.app.request(`${path}/resync`, { method: 'POST', headers: { cookie: `ob_session=${c.cookies.get('ob_session')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    };
    const noCsrf = await c.request(`${path}/resync`, { form: { from: '2026-01-01', to: '2026-02-01', destinations: 'local' } });
    expect(noCsrf.status).toBe(403);

    const backwards = await post({ from: '2026-03-01', to: '2026-02-01', by: 'updated', destinations: ['eng'], force: 'true' });
    expect(backwards.status).toBe(400);
    const text = await backwards.text();
    expect(text).toContain('Resync not started: to: to must be after from');
    expect(text).toContain('value="2026-03-01"');
    expect(text).toContain('<option value="updated" selected="">');
    expect(text).toContain('name="destinations" value="eng" checked=""');
    expect(text).toMatch(/name="destinations" value="local"(?! checked)/);
    expect(text).toMatch(/name="force" value="true" checked=""/);
    expect((await post({ from: '2026-01-01', to: '2026-02-01' })).status).toBe(400); // no store ticked
    expect(c.storage.jobs.list({ limit: 5 })).toEqual([]);

    const started = await post({ from: '2026-01-01', to: '2026-02-01', by: 'updated', destinations: ['eng', 'local'], force: 'true' });
    expect(started.status).toBe(303);
    expect(decodeURIComponent(started.headers.get('location')!)).toContain('Resync 1 queued: 2026-01-01 to 2026-02-01, by updated');
    expect(c.storage.jobs.get(1)).toMatchObject({
      kind: 'resync', state: 'queued', shopId, destinations: [`${shopId}:eng`, `${shopId}:local`],
      rangeFrom: Date.UTC(2026, 0, 1), rangeTo: Date.UTC(2026, 1, 1), options: { by: 'updated', force: true },
    });
    const overlapping = await post({ from: '2026-01-15', to: '2026-03-01', by: 'updated', destinations: 'local' });
    expect(overlapping.status).toBe(409);
    expect(await overlapping.text()).toContain('resync 1 of shopify:console-resync.myshopify.com (queued) covers part of this range');

    const following = await c.request(path);
    expect(following.text).toMatch(/<tr data-job="1" data-state="queued">.*<progress data-field-bar=""><\/progress>.*<span data-field="total">\?<\/span>.*action="\/admin\/jobs\/1\/cancel"/s);
    expect(following.text).toContain(`<div hidden="" data-jobs="${path}/jobs.json" data-page="${path}"></div>`);
    expect(following.text).toContain(`<noscript><meta http-equiv="refresh" content="3;url=${path}"/></noscript>`);

    // What the script reads: the same figures, moved on as the job moves.
    c.storage.jobs.start(1);
    c.advance(10_000);
    expect(c.storage.jobs.checkpoint(c.storage.jobs.get(1)!, { cursor: JSON.stringify({ at: 'page-2', total: 400 }), done: false, counts: { seen: 100, queued: 60, skipped: 40, failed: 0 } })).toBe(true);
    const json = JSON.parse((await c.request(`${path}/jobs.json`)).text) as { jobs: Array<Record<string, any>> };
    expect(json.jobs[0]).toMatchObject({
      id: 1, kind: 'resync', state: 'running', unfinished: true, bar: { value: 100, max: 400 },
      fields: { state: 'running', pages: '1', seen: '100', total: '400', queued: '60', unchanged: '40', failed: '0', rate: '10/s', eta: '30 s' },
      resync: { orders: { total: 400, seen: 100 } },
    });
    expect((await c.request('/admin/shops/shopify%3Anope.myshopify.com/jobs.json')).status).toBe(404);
  });
});

