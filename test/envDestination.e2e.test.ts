import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGAGE_SIM_DEFAULT_TOKEN, startEngageSimulator, type RunningEngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { query } from './support/database.ts';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'env-destination-secret';

describe('single-shop install: the store configured by environment receives the shop\'s orders', () => {
  let engage: RunningEngageSimulator;
  let ob: OrderbridgeProcess;

  beforeAll(async () => {
    engage = await startEngageSimulator({ maxOrderAgeDays: 0 });
    ob = await startOrderbridge({
      SHOPIFY_API_SECRET: SECRET, DELIVERY_POLL_MS: '20',
      DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: JSON.stringify({ baseUrl: engage.url, maxOrderAgeDays: 0 }),
      DESTINATION_SECRET: ENGAGE_SIM_DEFAULT_TOKEN,
    });
  });
  afterAll(async () => {
    await ob?.stop();
    await engage?.close();
  });

  it('forwards a signed Shopify order to Engage and to the local store, and keeps the token sealed', async () => {
    const r = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: '820982911946154777' }), secret: SECRET });
    expect(r.status).toBe(200);
    const sent = await eventually(async () => engage.orders.get('820982911946154777'), 10_000, 'the order at Engage');
    expect(sent).toMatchObject({ email: 'bob.norman@mail.example.com', currency: 'USD', order_value: 598.94 });
    const [row] = query<{ secret_sealed: string }>(ob.databasePath, "SELECT secret_sealed FROM destinations WHERE kind = 'engage'");
    expect(row!.secret_sealed).toMatch(/^v1:/);
    expect(row!.secret_sealed).not.toContain(ENGAGE_SIM_DEFAULT_TOKEN);
    expect(query(ob.databasePath, 'SELECT count(*) AS n FROM local_orders')).toEqual([{ n: 1 }]);
    // The start-up log says which destination the environment configures, and never its token.
    expect(ob.output()).toContain('DESTINATION_KIND=engage: every shop also delivers to <shop id>:engage, configured by the environment');
    expect(ob.output()).not.toContain(ENGAGE_SIM_DEFAULT_TOKEN);
  });
});

describe('single-shop install: a wrong DESTINATION_SECRET fixed by a restart', () => {
  it('sends what waited out the back-off at once after the restart, not when the back-off ends', async () => {
    const engage = await startEngageSimulator({ maxOrderAgeDays: 0 });
    const env = {
      SHOPIFY_API_SECRET: SECRET, DELIVERY_POLL_MS: '20', DELIVERY_BACKOFF_BASE_MS: '600000', DELIVERY_BACKOFF_MAX_MS: '900000',
      DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: JSON.stringify({ baseUrl: engage.url, maxOrderAgeDays: 0 }),
    };
    let ob = await startOrderbridge({ ...env, DESTINATION_SECRET: 'a-wrong-token' });
    try {
      await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: '820982911946154888' }), secret: SECRET });
      await eventually(async () => {
        const [row] = query<{ attempts: number }>(ob.databasePath, "SELECT attempts FROM outbox WHERE destination_id LIKE '%:engage'");
        return row && row.attempts > 0 ? true : undefined;
      }, 10_000, 'a refused first attempt');
      const nextAttempt = () => query<{ at: number }>(ob.databasePath, "SELECT next_attempt_at AS at FROM outbox WHERE destination_id LIKE '%:engage'")[0]!.at;
      const waiting = nextAttempt();
      // A restart with nothing changed (a crash loop, say) leaves the back-off alone: the store is not hammered.
      await ob.stop();
      ob = await startOrderbridge({ ...env, DESTINATION_SECRET: 'a-wrong-token' }, ob.databasePath);
      expect(nextAttempt()).toBe(waiting);
      await ob.stop();
      ob = await startOrderbridge({ ...env, DESTINATION_SECRET: ENGAGE_SIM_DEFAULT_TOKEN }, ob.databasePath);
      await eventually(async () => engage.orders.get('820982911946154888'), 10_000, 'the order at Engage after the restart');
    } finally {
      await ob.stop();
      await engage.close();
    }
  });
});

describe('the environment\'s destination, shared by every process on the database file', () => {
  const TOKEN = 'env-ownership-admin-token';
  const esputnik = { DESTINATION_KIND: 'esputnik-orders', DESTINATION_SETTINGS: '{"baseUrl":"http://127.0.0.1:9/api"}', DESTINATION_SECRET: 'esputnik-key-1' };
  const engageEnv = { DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: '{"baseUrl":"http://127.0.0.1:9","maxOrderAgeDays":0}', DESTINATION_SECRET: 'engage-token-1' };
  const base = { SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: TOKEN };
  const destinationsOf = async (ob: OrderbridgeProcess, shop: string) => {
    const r = await fetch(`${ob.url}/api/shops/${encodeURIComponent(shop)}/destinations`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const items = ((await r.json()) as { items: Array<{ id: string; enabled: boolean; fromEnvironment: boolean }> }).items;
    return Object.fromEntries(items.map((d) => [d.id.split(':').pop(), { enabled: d.enabled, fromEnvironment: d.fromEnvironment }]));
  };
  const remove = async (ob: OrderbridgeProcess, id: string) =>
    (await fetch(`${ob.url}/api/shops/${encodeURIComponent(SHOP_A)}/destinations/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status;
  const SHOP_A = 'shopify:first-shop.myshopify.com';

  it('is handed over (paused, its queue kept) by the delivering process when DESTINATION_KIND changes or goes; a receive-only process follows the database', async () => {
    let ob = await startOrderbridge({ ...base, ...engageEnv });
    const dbPath = ob.databasePath;
    const queued = (id: string) => (query<{ n: number }>(dbPath, 'SELECT count(*) AS n FROM outbox WHERE destination_id = ?', id)[0]!.n);
    try {
      expect((await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: '7001' }), secret: SECRET, shop: 'first-shop.myshopify.com' })).status).toBe(200);
      expect(await destinationsOf(ob, SHOP_A)).toMatchObject({ local: { fromEnvironment: false }, engage: { enabled: true, fromEnvironment: true } });
      expect(await remove(ob, 'engage')).toBe(409);
      await eventually(async () => (queued(`${SHOP_A}:local`) === 0 ? true : undefined), 10_000, 'local delivered');
      expect(queued(`${SHOP_A}:engage`)).toBe(1); // its store is unreachable: the order waits

      // A receive-only process started now, before the environment changes, and a start that fails (its port taken):
      // neither pauses anything.
      const receiver = await startOrderbridge({ ...base, DELIVERY_ENABLED: 'false' }, dbPath);
      const port = new URL(ob.url).port;
      await expect(startOrderbridge({ ...base, PORT: port }, dbPath)).rejects.toThrow(/already in use/);
      expect(await destinationsOf(ob, SHOP_A)).toMatchObject({ engage: { enabled: true, fromEnvironment: true } });
      await ob.stop();

      // Another kind: once delivering, the process hands the former one over, its queue kept; the new one is the environment's.
      ob = await startOrderbridge({ ...base, ...esputnik }, dbPath);
      await eventually(async () => (ob.output().includes('1 destination(s) an earlier DESTINATION_KIND configured are paused') ? true : undefined), 10_000, 'the hand-over');
      expect(await destinationsOf(ob, SHOP_A)).toMatchObject({
        engage: { enabled: false, fromEnvironment: false }, 'esputnik-orders': { enabled: true, fromEnvironment: true },
      });
      expect(queued(`${SHOP_A}:engage`)).toBe(1);

      // The receiver, started under the old environment, gives a shop it meets first what the database holds now.
      try {
        expect((await sendShopifyWebhook(receiver.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: '7002' }), secret: SECRET, shop: 'second-shop.myshopify.com' })).status).toBe(200);
        const second = await destinationsOf(receiver, 'shopify:second-shop.myshopify.com');
        expect(second).toMatchObject({ 'esputnik-orders': { enabled: true, fromEnvironment: true } });
        expect(second).not.toHaveProperty('engage');
        expect(receiver.output()).not.toContain('are paused');
      } finally {
        await receiver.stop();
      }
      expect(await remove(ob, 'engage')).toBe(200);
      await ob.stop();

      // Gone from the environment of the delivering process: handed over in every shop.
      ob = await startOrderbridge(base, dbPath);
      await eventually(async () => (ob.output().includes('2 destination(s) an earlier DESTINATION_KIND configured are paused') ? true : undefined), 10_000, 'the second hand-over');
      expect(await destinationsOf(ob, SHOP_A)).toMatchObject({ local: { enabled: true }, 'esputnik-orders': { enabled: false, fromEnvironment: false } });
      expect(await remove(ob, 'esputnik-orders')).toBe(200);
    } finally {
      await ob.stop();
    }
  }, 90_000);
});
