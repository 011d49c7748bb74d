// A Shopify shop connected with a custom app's Admin API token and API secret (POST /api/shops), against the
// simulator: the token checked with one shop query, webhooks subscribed once, the app's own signatures verified,
// an order reaching the local store, and app/uninstalled stopping reads. orderbridge runs without a Partner app.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeShopifyShop } from '../connectors/platforms/shopify/admin/index.ts';
import { SHOPIFY_WEBHOOK_TOPICS } from '../connectors/platforms/shopify/install/topics.ts';
import { startShopifySimulator, type RunningShopifySimulator } from '../connectors/platforms/shopify/simulator/simulator.ts';
import { eventually } from './support/shopifySender.ts';
import { startInstallNode, type InstallNode } from './support/installHarness.ts';

const SHOP = 'custom-shop.myshopify.com';
const ACCESS_TOKEN = 'shpat_custom_app_token';
const APP_SECRET = 'custom-app-own-secret';

let ob: InstallNode;
let sim: RunningShopifySimulator;
let unroute: () => void;
const shopId = `shopify:${SHOP}`;

beforeAll(async () => {
  sim = await startShopifySimulator({ shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET, orders: 2, deliveryTimeoutMs: 30_000 });
  unroute = routeShopifyShop(SHOP, sim.url);
  ob = await startInstallNode({}, 'custom-app-admin-token'); // no SHOPIFY_API_SECRET: the shop's own secret verifies
});
afterAll(async () => {
  unroute?.();
  await ob?.stop();
  await sim?.close();
});

function shops(): Array<{ id: string; credentials_sealed: string | null; webhook_secret_sealed: string | null; uninstalled_at: number | null }> {
  const db = new Database(ob.databasePath, { readonly: true });
  try {
    return db.prepare('SELECT id, credentials_sealed, webhook_secret_sealed, uninstalled_at FROM shops').all() as never;
  } finally {
    db.close();
  }
}
const subscriptions = () => sim.subscriptions.filter((s) => s.uri === `${ob.url}/webhooks/shopify`).map((s) => s.topic).sort();
const order = (id: string) => ob.api('GET', `/orders/${encodeURIComponent(`${shopId}:${id}`)}`);

describe('Shopify custom-app token', () => {
  it('a token the shop refuses, or a domain that is not a shop: 400, nothing stored', async () => {
    const refused = await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: 'shpat_wrong', apiSecret: APP_SECRET });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe('token_refused');
    const domain = await ob.api('POST', '/shops', { platform: 'shopify', shop: 'shop.example.com', accessToken: ACCESS_TOKEN });
    expect(domain.status).toBe(400);
    expect(domain.json.message).toContain('myshopify.com');
    expect(shops()).toEqual([]);
    expect(sim.subscriptions).toEqual([]);
  });

  it('connects: token and secret sealed, the webhooks subscribed; a second connect doubles nothing', async () => {
    const first = await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET });
    expect(first.status).toBe(201);
    expect(first.json.shop).toMatchObject({ id: shopId, hasCredentials: true, hasWebhookSecret: true });
    expect(first.json.webhooks.created.sort()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
    const [row] = shops();
    expect(row!.credentials_sealed).toMatch(/^v1:/);
    expect(`${row!.credentials_sealed}${row!.webhook_secret_sealed}`).not.toMatch(new RegExp(`${ACCESS_TOKEN}|${APP_SECRET}`));
    const again = await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET });
    expect(again.status).toBe(201);
    expect(again.json.webhooks).toEqual({ created: [], kept: [...SHOPIFY_WEBHOOK_TOPICS] });
    expect(subscriptions()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
  });

  it("an order signed with the custom app's secret reaches the local store; another signature is refused", async () => {
    const placed = sim.addOrder();
    const [delivery] = await sim.notify('orders/create', placed.id);
    expect(delivery, delivery?.error ?? '').toMatchObject({ status: 200 });
    await eventually(async () => ((await order(placed.id)).status === 200 ? true : undefined), 10_000, 'the order in the local store');
    const forged = await sim.sendWebhook(`${ob.url}/webhooks/shopify`, 'orders/updated', placed.id, 'not-the-app-secret');
    expect(forged.status).toBe(401);
  });

  it('DELETE /api/shops deletes the subscriptions orderbridge made, and no others, before the shop; connecting again subscribes anew', async () => {
    // Another app's (or the owner's) subscription on the same shop stays.
    const other = await fetch(sim.graphqlUrl(), {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': ACCESS_TOKEN },
      body: JSON.stringify({ query: 'mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: { uri: "https://elsewhere.example/hooks", format: JSON }) { userErrors { message } } }' }),
    });
    expect(await other.json()).toMatchObject({ data: { webhookSubscriptionCreate: { userErrors: [] } } });
    const removed = await ob.api('DELETE', `/shops/${encodeURIComponent(shopId)}`);
    expect(removed.status).toBe(200);
    expect(removed.json).toEqual({ removed: shopId, webhooks: { removed: SHOPIFY_WEBHOOK_TOPICS.length } });
    expect(subscriptions()).toEqual([]);
    expect(sim.subscriptions.map((w) => w.uri)).toEqual(['https://elsewhere.example/hooks']);
    expect(shops()).toEqual([]);
    const back = await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET });
    expect(back.json.webhooks.created.sort()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
  });

  it('connected again at another address (orderbridge moved): the old subscriptions go, and removing the shop leaves none', async () => {
    const OLD = 'https://old-host.example/webhooks/shopify';
    const at = (uri: string) => sim.subscriptions.filter((s) => s.uri === uri).map((s) => s.topic).sort();
    // Removed first (the test before connected it again), then connected at the old address: webhooks go there.
    expect((await ob.api('DELETE', `/shops/${encodeURIComponent(shopId)}`)).status).toBe(200);
    const old = await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET, deliveryUrl: OLD });
    expect(old.status).toBe(201);
    expect(at(OLD)).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
    const moved = await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET });
    expect(moved.status).toBe(201);
    expect(moved.json.webhooks.created.sort()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
    expect(subscriptions()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort());
    expect(at(OLD)).toEqual([]);
    expect(sim.subscriptions.map((w) => w.uri).filter((u) => u !== `${ob.url}/webhooks/shopify`)).toEqual(['https://elsewhere.example/hooks']);
    const settingsNow = () => {
      const db = new Database(ob.databasePath, { readonly: true });
      try {
        return JSON.parse((db.prepare('SELECT settings FROM shops WHERE id = ?').get(shopId) as { settings: string }).settings) as Record<string, unknown>;
      } finally {
        db.close();
      }
    };
    // The old address emptied, nothing is left to try at removal.
    expect(settingsNow()).toMatchObject({ registeredTo: `${ob.url}/webhooks/shopify` });
    expect(settingsNow().registeredEarlier).toBeUndefined();
    // An old address whose subscriptions could not be deleted then (made again here behind orderbridge's back) goes at removal.
    const db = new Database(ob.databasePath);
    try {
      const { settings } = db.prepare('SELECT settings FROM shops WHERE id = ?').get(shopId) as { settings: string };
      db.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(settings), registeredEarlier: [OLD] }), shopId);
    } finally {
      db.close();
    }
    await new Promise((done) => setTimeout(done, 200)); // the shop registry looks for other connections' commits every 50 ms
    const again = await fetch(sim.graphqlUrl(), {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': ACCESS_TOKEN },
      body: JSON.stringify({ query: `mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: { uri: "${OLD}", format: JSON }) { userErrors { message } } }` }),
    });
    expect(await again.json()).toMatchObject({ data: { webhookSubscriptionCreate: { userErrors: [] } } });
    const removed = await ob.api('DELETE', `/shops/${encodeURIComponent(shopId)}`);
    expect(removed.json).toEqual({ removed: shopId, webhooks: { removed: SHOPIFY_WEBHOOK_TOPICS.length + 1 } });
    expect(subscriptions()).toEqual([]);
    expect(at(OLD)).toEqual([]);
    expect(sim.subscriptions.map((w) => w.uri)).toEqual(['https://elsewhere.example/hooks']);
    expect((await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET })).status).toBe(201);
  });

  it('app/uninstalled: token dropped, the shop uninstalled, nothing read after it', async () => {
    const [uninstalled] = await sim.uninstallApp();
    expect(uninstalled).toMatchObject({ topic: 'app/uninstalled', status: 200 });
    expect(sim.tokenLive(ACCESS_TOKEN)).toBe(false);
    expect(shops()[0]).toMatchObject({ credentials_sealed: null, uninstalled_at: expect.any(Number) });
    const late = sim.addOrder();
    expect((await sim.sendWebhook(`${ob.url}/webhooks/shopify`, 'orders/create', late.id)).status).toBe(200);
    expect((await order(late.id)).status).toBe(404);
    // The token is gone from the shop too: connecting again with it is refused and changes nothing.
    const stale = await ob.api('POST', '/shops', { platform: 'shopify', shop: SHOP, accessToken: ACCESS_TOKEN, apiSecret: APP_SECRET });
    expect(stale.json.error).toBe('token_refused');
    expect(shops()[0]).toMatchObject({ credentials_sealed: null, uninstalled_at: expect.any(Number) });
  });
});
