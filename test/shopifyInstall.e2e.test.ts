// The Shopify OAuth install against the simulator, over real HTTP with real signatures: install → callback →
// webhooks subscribed (not doubled by a second install) → an order from the shop reaches the local store;
// app/uninstalled stops reads; a re-install brings the shop back; forged, replayed or stray callbacks store nothing.
import { createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeShopifyShop } from '../connectors/platforms/shopify/admin/index.ts';
import { SHOPIFY_WEBHOOK_TOPICS } from '../connectors/platforms/shopify/install/topics.ts';
import { startShopifySimulator, type RunningShopifySimulator } from '../connectors/platforms/shopify/simulator/simulator.ts';
import { eventually } from './support/shopifySender.ts';
import { BROWSER, cookiesOf, startInstallNode, type InstallNode } from './support/installHarness.ts';

const SHOP = 'install-shop.myshopify.com';
const API_KEY = 'install-app-key';
const SECRET = 'install-app-secret';
const TOKEN = 'install-admin-token';

let ob: InstallNode;
let sim: RunningShopifySimulator;
let unroute: () => void;

beforeAll(async () => {
  sim = await startShopifySimulator({ shop: SHOP, apiKey: API_KEY, apiSecret: SECRET, orders: 3, accessToken: 'shpat_not_the_app', deliveryTimeoutMs: 30_000 });
  unroute = routeShopifyShop(SHOP, sim.url);
  ob = await startInstallNode({ SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: SECRET }, TOKEN);
});
afterAll(async () => {
  unroute?.();
  await ob?.stop();
  await sim?.close();
});

const shopId = `shopify:${SHOP}`;
const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: 'manual', headers: { 'user-agent': BROWSER, ...headers } });

function shopRow(): { credentials_sealed: string | null; uninstalled_at: number | null } | undefined {
  const db = new Database(ob.databasePath, { readonly: true });
  try {
    return db.prepare('SELECT credentials_sealed, uninstalled_at FROM shops WHERE id = ?').get(shopId) as never;
  } finally {
    db.close();
  }
}
function count(table: string): number {
  const db = new Database(ob.databasePath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The owner's browser through /shopify/install and the shop's authorize page, up to the callback it is sent to. */
async function approve(shop = SHOP): Promise<{ callback: URL; cookie: string }> {
  const begin = await get(`${ob.url}/shopify/install?shop=${shop}`);
  expect(begin.status).toBe(302);
  const authorize = new URL(begin.headers.get('location')!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`https://${shop}/admin/oauth/authorize`);
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
    client_id: API_KEY, scope: 'read_orders,read_customers', redirect_uri: `${ob.url}/shopify/callback`,
  });
  // What DNS would do for a browser: the shop's host is the simulator.
  const approved = await get(`${sim.url}${authorize.pathname}${authorize.search}`);
  expect(approved.status).toBe(302);
  return { callback: new URL(approved.headers.get('location')!), cookie: cookiesOf(begin) };
}

const subscriptions = () => sim.subscriptions.filter((s) => s.uri === `${ob.url}/webhooks/shopify`).map((s) => s.topic).sort();

describe('Shopify OAuth install', () => {
  let installedToken: string;

  it('lands on the shop page with a sealed offline token, the shop made with the local store, and the webhooks subscribed', async () => {
    const { callback, cookie } = await approve();
    const done = await get(callback.href, { cookie });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(`${ob.url}/admin/shops/${encodeURIComponent(shopId)}`);
    // The state cookie is cleared; no session cookie of the library's is left in the owner's browser.
    expect(done.headers.getSetCookie().length).toBeGreaterThan(0);
    expect(done.headers.getSetCookie().every((c) => c.startsWith('shopify_app_state'))).toBe(true);
    installedToken = sim.oauthGrants.at(-1)!.token;
    const row = shopRow()!;
    expect(row.credentials_sealed).toMatch(/^v1:/);
    expect(row.credentials_sealed).not.toContain(installedToken);
    expect(row.uninstalled_at).toBeNull();
    expect((await ob.api('GET', `/shops/${shopId}/destinations`)).json.items.map((d: { kind: string }) => d.kind)).toEqual(['local']);
    expect(subscriptions()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
  });

  it('a second install keeps what is subscribed (nothing doubled) and seals the new token', async () => {
    const before = shopRow()!.credentials_sealed;
    const { callback, cookie } = await approve();
    expect((await get(callback.href, { cookie })).status).toBe(302);
    expect(subscriptions()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
    expect(sim.oauthGrants.at(-1)!.token).not.toBe(installedToken);
    expect(shopRow()!.credentials_sealed).not.toBe(before);
  });

  it('an order the shop sends through its subscription reaches the local store', async () => {
    const order = sim.addOrder();
    const [delivery] = await sim.notify('orders/create', order.id);
    expect(delivery, delivery?.error ?? '').toMatchObject({ status: 200, url: `${ob.url}/webhooks/shopify` });
    const held = await eventually(async () => {
      const r = await ob.api('GET', `/orders/${encodeURIComponent(`${shopId}:${order.id}`)}`);
      return r.status === 200 ? r.json : undefined;
    }, 10_000, 'the order in the local store');
    expect(held.key).toBe(`${shopId}:${order.id}`);
  });

  it('app/uninstalled: the shop is marked uninstalled, its token dropped, and what the shop sends after is not taken in', async () => {
    // The local store paused, so what was received is still waiting for it when the uninstall comes.
    expect((await ob.api('POST', `/shops/${shopId}/destinations`, { kind: 'local', enabled: false })).status).toBe(200);
    const received = sim.addOrder();
    expect((await sim.notify('orders/create', received.id))[0]!.status).toBe(200);
    const [uninstalled] = await sim.uninstallApp();
    expect(uninstalled).toMatchObject({ topic: 'app/uninstalled', status: 200 });
    expect(shopRow()).toMatchObject({ credentials_sealed: null, uninstalled_at: expect.any(Number) });
    expect(count('outbox')).toBeGreaterThan(0);
    // What was received before is still delivered.
    expect((await ob.api('POST', `/shops/${shopId}/destinations`, { kind: 'local', enabled: true })).status).toBe(200);
    await eventually(async () => (count('outbox') === 0 ? true : undefined), 10_000, 'the queue delivered');
    expect((await ob.api('GET', `/orders/${encodeURIComponent(`${shopId}:${received.id}`)}`)).status).toBe(200);
    // A delivery that comes anyway (a retry from before the uninstall) is acknowledged and nothing is read from it.
    const late = sim.addOrder();
    const d = await sim.sendWebhook(`${ob.url}/webhooks/shopify`, 'orders/create', late.id);
    expect(d.status).toBe(200);
    expect((await ob.api('GET', `/orders/${encodeURIComponent(`${shopId}:${late.id}`)}`)).status).toBe(404);
    expect(shopRow()!.uninstalled_at).not.toBeNull();
  });

  it('a re-install brings the shop back: installed, a token again, webhooks subscribed, orders taken in', async () => {
    const { callback, cookie } = await approve();
    expect((await get(callback.href, { cookie })).status).toBe(302);
    expect(shopRow()).toMatchObject({ credentials_sealed: expect.stringMatching(/^v1:/), uninstalled_at: null });
    expect(subscriptions()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
    const order = sim.addOrder();
    await sim.notify('orders/create', order.id);
    await eventually(async () => ((await ob.api('GET', `/orders/${encodeURIComponent(`${shopId}:${order.id}`)}`)).status === 200 ? true : undefined));
  });
});

describe('Shopify OAuth refusals store nothing', () => {
  const nothingChanged = () => {
    const before = { shops: count('shops'), credentials: shopRow()?.credentials_sealed ?? null, grants: sim.oauthGrants.length };
    return () => expect({ shops: count('shops'), credentials: shopRow()?.credentials_sealed ?? null, grants: sim.oauthGrants.length }).toEqual(before);
  };
  const sign = (params: URLSearchParams) => {
    const sorted = new URLSearchParams([...params].filter(([k]) => k !== 'hmac').sort(([a], [b]) => a.localeCompare(b)));
    params.set('hmac', createHmac('sha256', SECRET).update(sorted.toString()).digest('hex'));
    return params;
  };

  it('a shop that is not a *.myshopify.com domain: 400, no state issued', async () => {
    const unchanged = nothingChanged();
    const nonces = count('install_nonces');
    for (const shop of ['evil.example.com', 'shop.myshopify.com.evil.example', '', 'a b.myshopify.com']) {
      const r = await get(`${ob.url}/shopify/install?shop=${encodeURIComponent(shop)}`);
      expect(r.status, shop).toBe(400);
      expect(((await r.json()) as { error: string }).error).toBe('invalid_shop_domain');
    }
    expect(count('install_nonces')).toBe(nonces);
    unchanged();
  });

  it('a bad hmac: 401, and the install it forged stays usable by the real callback', async () => {
    const { callback, cookie } = await approve();
    const unchanged = nothingChanged();
    const forged = new URL(callback);
    forged.searchParams.set('code', 'attacker-code');
    const r = await get(forged.href, { cookie });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: string }).error).toBe('invalid_hmac');
    unchanged();
    expect((await get(callback.href, { cookie })).status).toBe(302);
  });

  it('a missing state: 400, nothing exchanged', async () => {
    const { callback, cookie } = await approve();
    const unchanged = nothingChanged();
    const stateless = new URL(callback);
    stateless.searchParams.delete('state');
    stateless.search = sign(stateless.searchParams).toString();
    const r = await get(stateless.href, { cookie });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe('state_missing');
    unchanged();
  });

  it('a replayed callback: 400 state_unknown, the token from the first one kept', async () => {
    const { callback, cookie } = await approve();
    expect((await get(callback.href, { cookie })).status).toBe(302);
    const unchanged = nothingChanged();
    const r = await get(callback.href, { cookie });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe('state_unknown');
    unchanged();
  });

  it('a state issued for another shop, signed correctly: 400 state_unknown', async () => {
    const other = await get(`${ob.url}/shopify/install?shop=other-shop.myshopify.com`);
    const state = new URL(other.headers.get('location')!).searchParams.get('state')!;
    const { callback, cookie } = await approve();
    const unchanged = nothingChanged();
    const swapped = new URL(callback);
    swapped.searchParams.set('state', state);
    swapped.search = sign(swapped.searchParams).toString();
    const r = await get(swapped.href, { cookie: `${cookie}; ${cookiesOf(other)}` });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe('state_unknown');
    unchanged();
  });

  it('the callback without the state cookie this browser was given: refused, nothing exchanged', async () => {
    const { callback } = await approve();
    const unchanged = nothingChanged();
    const r = await get(callback.href);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe('state_missing');
    unchanged();
  });
});
