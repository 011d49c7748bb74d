// The WooCommerce install through wc-auth against the simulator: /woocommerce/install → the store's authorize page
// → its keys POSTed to /woocommerce/callback (taken only with the one-time user_id issued for that store) → webhooks
// registered (not doubled by a second install) → the owner on the shop's page → an order reaching the local store.
// An unknown or replayed user_id is refused and nothing is stored.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWooSimulator, type RunningWooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import { eventually } from './support/shopifySender.ts';
import { startInstallNode, type InstallNode } from './support/installHarness.ts';

let ob: InstallNode;
let woo: RunningWooSimulator;
let shopId: string;

beforeAll(async () => {
  woo = await startWooSimulator({ consumerKey: 'ck_owner_made', consumerSecret: 'cs_owner_made', storeCurrency: 'EUR' });
  shopId = `woocommerce:${new URL(woo.url).host}`;
  ob = await startInstallNode({}, 'woo-install-admin-token');
});
afterAll(async () => {
  await ob?.stop();
  await woo?.close();
});

function count(table: string): number {
  const db = new Database(ob.databasePath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
const get = (url: string) => fetch(url, { redirect: 'manual' });
const callback = (body: unknown) => fetch(`${ob.url}/woocommerce/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ours = () => woo.webhooks.filter((w) => w.deliveryUrl === `${ob.url}/webhooks/woocommerce`).map((w) => w.topic).sort();

/** The owner's browser: install → the store's approval (which POSTs the keys to orderbridge) → back, to the shop page. */
async function install(): Promise<{ authorize: URL; landed: Response }> {
  const begin = await get(`${ob.url}/woocommerce/install?store_url=${encodeURIComponent(woo.url)}`);
  expect(begin.status).toBe(302);
  const authorize = new URL(begin.headers.get('location')!);
  const approved = await get(authorize.href);
  expect(approved.status, await approved.clone().text()).toBe(302);
  return { authorize, landed: await get(approved.headers.get('location')!) };
}

describe('WooCommerce wc-auth install', () => {
  let firstNonce: string;

  it('asks the store for a read_write key with a one-time user_id, and lands on the shop page once the keys came', async () => {
    const { authorize, landed } = await install();
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${woo.url}/wc-auth/v1/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      app_name: 'orderbridge', scope: 'read_write', callback_url: `${ob.url}/woocommerce/callback`,
      user_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    firstNonce = authorize.searchParams.get('user_id')!;
    expect(woo.wcAuthGrants.at(-1)).toMatchObject({ userId: firstNonce, callbackStatus: 200, permissions: 'read_write' });
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe(`${ob.url}/admin/shops/${encodeURIComponent(shopId)}`);
    expect(ours()).toEqual(['customer.created', 'order.created', 'order.deleted', 'order.restored', 'order.updated']);
    const shop = (await ob.api('GET', `/shops/${shopId}`)).json;
    expect(shop).toMatchObject({ hasCredentials: true, hasWebhookSecret: true, uninstalledAt: null });
    const db = new Database(ob.databasePath, { readonly: true });
    const sealed = (db.prepare('SELECT credentials_sealed AS c FROM shops WHERE id = ?').get(shopId) as { c: string }).c;
    db.close();
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(woo.wcAuthGrants.at(-1)!.consumerKey);
  });

  it('a second install replaces the webhooks rather than doubling them', async () => {
    await install();
    expect(ours()).toEqual(['customer.created', 'order.created', 'order.deleted', 'order.restored', 'order.updated']);
  });

  it('an order placed in the store reaches the local store', async () => {
    const created = await woo.createOrder({ status: 'processing', set_paid: true, line_items: [{ name: 'Mug', quantity: 1, price: '9.00' }] });
    expect(woo.deliveries.at(-1)).toMatchObject({ topic: 'order.created', status: 200 });
    await eventually(async () => {
      const r = await ob.api('GET', `/orders/${encodeURIComponent(`${shopId}:${created.id}`)}`);
      return r.status === 200 ? true : undefined;
    }, 10_000, 'the order in the local store');
  });

  it('keys with an unknown or a used user_id are refused and nothing is stored', async () => {
    const before = { shops: count('shops'), hooks: woo.webhooks.length };
    const keys = { key_id: 9, consumer_key: 'ck_attacker', consumer_secret: 'cs_attacker', key_permissions: 'read_write' };
    for (const userId of ['0123456789abcdef0123456789abcdef', firstNonce, '']) {
      const r = await callback({ ...keys, user_id: userId });
      expect(r.status, userId).not.toBe(200);
      expect(r.status).toBe(userId === '' ? 400 : 403);
    }
    expect({ shops: count('shops'), hooks: woo.webhooks.length }).toEqual(before);
  });

  it('a live user_id whose keys the store does not know: 502, and the user_id cannot be used again', async () => {
    const begin = await get(`${ob.url}/woocommerce/install?store_url=${encodeURIComponent(woo.url)}`);
    const nonce = new URL(begin.headers.get('location')!).searchParams.get('user_id')!;
    const before = (await ob.api('GET', `/shops/${shopId}`)).json;
    const r = await callback({ key_id: 1, user_id: nonce, consumer_key: 'ck_unknown', consumer_secret: 'cs_unknown', key_permissions: 'read_write' });
    expect(r.status).toBe(502);
    expect((await ob.api('GET', `/shops/${shopId}`)).json).toEqual(before);
    expect((await callback({ key_id: 1, user_id: nonce, consumer_key: 'ck_owner_made', consumer_secret: 'cs_owner_made', key_permissions: 'read_write' })).status).toBe(403);
  });

  it('a store_url that is not an http(s) URL: 400', async () => {
    for (const url of ['ftp://shop.example', 'not a url', '']) {
      const r = await get(`${ob.url}/woocommerce/install?store_url=${encodeURIComponent(url)}`);
      expect(r.status, url).toBe(400);
    }
  });
});
