// Two orderbridge processes on one database file, as `npm start` starts them: only one delivers (each
// order reaches the local store once), and when it is killed the other takes over at once.
import { afterAll, describe, expect, it } from 'vitest';
import { query } from './support/database.ts';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'lease-e2e-secret';
const ENV = { SHOPIFY_API_SECRET: SECRET, DELIVERY_POLL_MS: '20', ENCRYPTION_KEY: 'lease-e2e-key' };
const running: OrderbridgeProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
});

async function send(p: OrderbridgeProcess, ids: number[]): Promise<void> {
  for (const id of ids) {
    const r = await sendShopifyWebhook(p.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: String(7_000_000 + id) }), secret: SECRET });
    expect(r.status).toBe(200);
  }
}

const deliveredBy = async (p: OrderbridgeProcess) => ((await (await fetch(`${p.url}/health`)).json()) as { outbox: { deliveredBy: string } }).outbox.deliveredBy;
const delivered = (path: string) => query<{ key: string; deliveries: number }>(path, 'SELECT key, deliveries FROM local_orders ORDER BY key');

describe('two processes on one database', () => {
  it('deliver through one of them; the other takes over when that one is killed', async () => {
    const a = await startOrderbridge(ENV);
    running.push(a);
    await eventually(async () => (/delivering from this database/.test(a.output()) ? true : undefined), 10_000, 'A to take the lease');
    const b = await startOrderbridge(ENV, a.databasePath);
    running.push(b);

    await send(b, [1, 2, 3, 4, 5]);
    await send(a, [6, 7, 8, 9, 10]);
    const rows = await eventually(async () => {
      const r = delivered(a.databasePath);
      return r.length === 10 ? r : undefined;
    }, 15_000, 'ten orders in the local store');
    expect(rows.every((r) => r.deliveries === 1)).toBe(true);
    expect(query<{ owner: string }>(a.databasePath, 'SELECT owner FROM delivery_lease')[0]!.owner).toContain(`:${a.child.pid}:`);
    expect(b.output()).toMatch(/another process delivers from this database \([^)]*:\d+:/);
    expect(b.output()).not.toMatch(/delivering from this database/);
    expect(await deliveredBy(a)).toBe('this process');
    expect(await deliveredBy(b)).toBe('another process');

    // Killed: no release. B sees A's process is gone and takes over well before the 30 s lease would lapse.
    await a.kill();
    running.splice(running.indexOf(a), 1);
    const took = Date.now();
    await send(b, [11, 12, 13]);
    await eventually(async () => (delivered(b.databasePath).length === 13 ? true : undefined), 10_000, 'three more orders delivered by B');
    expect(Date.now() - took).toBeLessThan(10_000);
    expect(b.output()).toMatch(/delivering from this database/);
    expect(await deliveredBy(b)).toBe('this process');
    expect(query<{ owner: string }>(b.databasePath, 'SELECT owner FROM delivery_lease')[0]!.owner).toContain(`:${b.child.pid}:`);
  }, 60_000);
});
