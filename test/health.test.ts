// GET /health stays cheap however large the backlog: counts stop at a cap, the lag comes from one row.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { COUNT_CAP } from '../src/app/cappedCount.ts';
import { health } from '../src/app/health.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();

function withStorage() {
  const database = openDatabase(scratchDb('ob-health-'));
  let t = 1_000_000;
  const clock = { now: () => t };
  const storage = createStorage(database, clock);
  const shop = storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
  const destination = `${shop.id}:local`;
  const app = new Hono().get('/health', health({ storage, clock }));
  const read = async () => (await app.request('/health')).json() as Promise<Record<string, any>>;
  /** `n` outbox rows written at `at`, through SQL: ten thousand through the writer would only slow the test. */
  const queue = (n: number, at: number) => database.sqlite.prepare(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
    INSERT INTO outbox (destination_id, order_key, events, source_updated_at, origin, attempts, next_attempt_at, created_at)
    SELECT ?, 'shopify:demo:' || i, '[]', 0, 'webhook', 0, ?, ? FROM k`).run(n, destination, at, at);
  const letters = (n: number, replayedAt: number | null) => database.sqlite.prepare(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
    INSERT INTO dead_letters (destination_id, order_key, events, source_updated_at, origin, attempts, error, created_at, replayed_at)
    SELECT ?, 'shopify:demo:' || i, '[]', 0, 'webhook', 1, 'no', 0, ? FROM k`).run(n, destination, replayedAt);
  return { database, queue, letters, read, setNow: (now: number) => (t = now) };
}

describe('GET /health', () => {
  it('reports the queued rows, how old the oldest is, and the letters not yet replayed', async () => {
    const h = withStorage();
    expect(await h.read()).toMatchObject({
      status: 'ok', outbox: { count: 0, capped: false, oldestAgeSeconds: 0, deliveredBy: 'this process' }, deadLetters: { count: 0, capped: false },
    });
    h.queue(3, 1_000_000);
    h.letters(2, null);
    h.letters(4, 5); // replayed: no longer open
    h.setNow(1_090_000);
    expect(await h.read()).toMatchObject({ outbox: { count: 3, capped: false, oldestAgeSeconds: 90 }, deadLetters: { count: 2, capped: false } });
    h.database.close();
  });

  it('stops counting at the cap and says so', async () => {
    const h = withStorage();
    h.queue(COUNT_CAP + 50, 1_000_000);
    h.letters(COUNT_CAP + 1, null);
    expect(await h.read()).toMatchObject({
      outbox: { count: COUNT_CAP, capped: true }, deadLetters: { count: COUNT_CAP, capped: true },
    });
    h.queue(COUNT_CAP - 49, 1_000_000); // exactly at the cap is still exact
    h.database.sqlite.prepare('DELETE FROM outbox WHERE id > ?').run(COUNT_CAP);
    expect((await h.read()).outbox).toMatchObject({ count: COUNT_CAP, capped: false });
    h.database.close();
  });
});
