import { afterEach, describe, expect, it } from 'vitest';
import { query } from './support/database.ts';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'lifecycle-secret';
const SHOP = 'demo-shop.myshopify.com';
const running: OrderbridgeProcess[] = [];

async function start(env: Record<string, string>, db?: string) {
  const ob = await startOrderbridge({ SHOPIFY_API_SECRET: SECRET, DELIVERY_POLL_MS: '20', ...env }, db);
  running.push(ob);
  return ob;
}

const ids = (n: number, base: number) => Array.from({ length: n }, (_, i) => String(9_007_199_254_740_993n + BigInt(base + i)));

describe('lifecycle: what was acknowledged survives', () => {
  afterEach(async () => {
    for (const ob of running.splice(0)) if (ob.child.exitCode === null) await ob.kill();
  });

  it('keeps every acknowledged webhook through SIGKILL and delivers it after restart', async () => {
    const first = await start({ DELIVERY_ENABLED: 'false' });
    const orderIds = ids(40, 0);
    const answers = await Promise.all(orderIds.map((id) =>
      sendShopifyWebhook(first.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id }), secret: SECRET })));
    expect(answers.map((a) => a.status)).toEqual(orderIds.map(() => 200));
    expect(((await (await fetch(`${first.url}/health`)).json()) as { outbox: unknown }).outbox).toMatchObject({ count: 40, deliveredBy: 'disabled here' });
    await first.kill();
    // Nothing was delivered yet: every acknowledged order waits in the outbox.
    expect(query(first.databasePath, 'SELECT count(*) AS n FROM outbox')).toEqual([{ n: 40 }]);
    expect(query(first.databasePath, 'SELECT count(*) AS n FROM local_orders')).toEqual([{ n: 0 }]);

    const second = await start({}, first.databasePath);
    await eventually(async () => {
      const [row] = query<{ n: number }>(second.databasePath, 'SELECT count(*) AS n FROM local_orders');
      return row!.n === 40 ? true : undefined;
    }, 15_000, 'all 40 orders delivered after restart');
    const keys = query<{ key: string }>(second.databasePath, 'SELECT key FROM local_orders ORDER BY key').map((r) => r.key);
    expect(keys).toEqual(orderIds.map((id) => `shopify:${SHOP}:${id}`).sort());
    await eventually(async () => (query<{ n: number }>(second.databasePath, 'SELECT count(*) AS n FROM outbox')[0]!.n === 0 ? true : undefined));
  });

  it('on SIGTERM finishes requests in flight, exits 0, and loses nothing it answered 200', async () => {
    const ob = await start({});
    const orderIds = ids(60, 100);
    const sends = orderIds.map((id) =>
      sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id }), secret: SECRET })
        .then((r) => ({ id, ok: r.status === 200 }), () => ({ id, ok: false })));
    await new Promise((r) => setTimeout(r, 15));
    const exit = ob.stop();
    const results = await Promise.all(sends);
    expect(await exit).toBe(0);
    const acknowledged = results.filter((r) => r.ok).map((r) => `shopify:${SHOP}:${r.id}`);
    expect(acknowledged.length).toBeGreaterThan(0);
    const stored = new Set(query<{ key: string }>(ob.databasePath, 'SELECT key FROM orders').map((r) => r.key));
    for (const key of acknowledged) expect(stored.has(key), key).toBe(true);

    const again = await start({}, ob.databasePath);
    await eventually(async () => {
      const delivered = new Set(query<{ key: string }>(again.databasePath, 'SELECT key FROM local_orders').map((r) => r.key));
      return acknowledged.every((k) => delivered.has(k)) ? true : undefined;
    }, 15_000, 'acknowledged orders delivered');
  });
});
