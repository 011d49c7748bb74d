// GET /api/outbox and /api/dead-letters: pages an operator can walk to the end, and an outbox total
// that counts what the filter selects without a full count of a large backlog.
import { describe, expect, it } from 'vitest';
import { queueRoutes } from '../src/app/admin/queueRoutes.ts';
import { COUNT_CAP } from '../src/app/cappedCount.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();

function withQueues() {
  const database = openDatabase(scratchDb('ob-queues-'));
  const storage = createStorage(database, { now: () => 1_000_000 });
  const app = queueRoutes({ storage });
  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  /** `n` outbox rows for a destination, through SQL: ten thousand through the writer would only slow the test. */
  const queue = (destination: string, n: number) => database.sqlite.prepare(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
    INSERT INTO outbox (destination_id, order_key, events, source_updated_at, origin, attempts, next_attempt_at, created_at)
    SELECT ?, 'shopify:demo:' || i, '["order.created"]', 0, 'webhook', 0, 0, 0 FROM k`).run(n, destination);
  const letters = (destination: string, n: number) => database.sqlite.prepare(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
    INSERT INTO dead_letters (destination_id, order_key, events, source_updated_at, origin, attempts, error, created_at)
    SELECT ?, 'shopify:demo:' || i, '[]', 0, 'webhook', 1, 'refused', 0 FROM k`).run(n, destination);
  return { database, storage, get, queue, letters };
}

/** Follows nextAfter from the first page to the last; returns every id seen, in order. */
async function walk(get: (path: string) => Promise<{ body: Record<string, any> }>, path: string, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let after: number | null = 0;
  for (let pages = 0; after !== null; pages++) {
    if (pages > 100) throw new Error('nextAfter never ended');
    const sep = path.includes('?') ? '&' : '?';
    const { body } = await get(`${path}${sep}limit=${limit}&after=${after}`);
    ids.push(...body.items.map((i: { id: number }) => i.id));
    after = body.nextAfter;
  }
  return ids;
}

describe('GET /api/outbox', () => {
  it('counts the rows of the destination asked for, and pages through all of them once', async () => {
    const q = withQueues();
    q.queue('shop:a', 7);
    q.queue('shop:b', 5);
    q.queue('shop:a', 3);
    const all = await q.get('/outbox?limit=4');
    expect(all.body.total).toEqual({ count: 15, capped: false });
    expect(all.body.items).toHaveLength(4);
    expect(all.body.items[0]).toMatchObject({ destinationId: 'shop:a', events: ['order.created'], owed: null });
    expect(all.body.nextAfter).toBe(all.body.items[3].id);

    expect((await q.get('/outbox?destination=shop:a')).body.total).toEqual({ count: 10, capped: false });
    const ofA = await walk(q.get, '/outbox?destination=shop:a', 4);
    expect(ofA).toHaveLength(10);
    expect(new Set(ofA).size).toBe(10);
    expect(ofA).toEqual([...ofA].sort((x, y) => x - y));
    // A page that comes back exactly full is followed by an empty last page, not by a missing row.
    expect(await walk(q.get, '/outbox?destination=shop:b', 5)).toHaveLength(5);
    q.database.close();
  });

  it('shows what a store still owes a row, as JSON', async () => {
    const q = withQueues();
    q.queue('shop:a', 1);
    const owed = { orderId: '1', job: { id: 'job-1', path: '/orders/jobs/job-1' }, actions: [{ action: 'ConfirmCompletion' }] };
    q.database.sqlite.prepare('UPDATE outbox SET owed = ?').run(JSON.stringify(owed));
    expect((await q.get('/outbox')).body.items[0]).toMatchObject({ owed });
    q.database.close();
  });

  it('says which rows a batch holds right now (inFlight), and that they are free again once settled', async () => {
    const q = withQueues();
    q.queue('shop:a', 3);
    const [first] = q.storage.outbox.claim('shop:a', 1_000_000, 1);
    expect((await q.get('/outbox')).body.items.map((i: { inFlight: boolean }) => i.inFlight)).toEqual([true, false, false]);
    q.storage.outbox.retryLater(first!, 'store down', 2_000_000);
    expect((await q.get('/outbox')).body.items.map((i: { inFlight: boolean }) => i.inFlight)).toEqual([false, false, false]);
    q.database.close();
  });

  it('stops counting at the cap and says so', async () => {
    const q = withQueues();
    q.queue('shop:a', COUNT_CAP + 20);
    q.queue('shop:b', 2);
    expect((await q.get('/outbox')).body.total).toEqual({ count: COUNT_CAP, capped: true });
    expect((await q.get('/outbox?destination=shop:b')).body.total).toEqual({ count: 2, capped: false });
    q.database.close();
  });

  it('refuses a short destination id (it would match nothing) with 400 naming the full form', async () => {
    const q = withQueues();
    for (const path of ['/outbox?destination=engage', '/dead-letters?destination=engage']) {
      const res = await q.get(path);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^destination: a destination's full id, <shop id>:<id>/);
    }
    expect((await q.get('/outbox?destination=shopify:demo.myshopify.com:engage')).status).toBe(200);
    q.database.close();
  });

  it('answers a bad cursor with 400 and a JSON problem', async () => {
    const q = withQueues();
    const res = await q.get('/outbox?after=-1');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_query' });
    expect(res.body.message).toMatch(/after/);
    q.database.close();
  });
});

describe('GET /api/dead-letters', () => {
  it('pages through every open letter of a destination once', async () => {
    const q = withQueues();
    q.letters('shop:a', 6);
    q.letters('shop:b', 2);
    const ofA = await walk(q.get, '/dead-letters?destination=shop:a', 4);
    expect(ofA).toHaveLength(6);
    expect(new Set(ofA).size).toBe(6);
    expect((await q.get('/dead-letters?limit=50')).body).toMatchObject({ nextAfter: null });
    q.database.close();
  });

  it('pages open letters only, or replayed ones too, of every destination or one', async () => {
    const q = withQueues();
    q.letters('shop:a', 5);
    q.letters('shop:b', 4);
    q.letters('shop:a', 3);
    q.database.sqlite.exec("UPDATE dead_letters SET replayed_at = 1 WHERE id % 2 = 0");
    const idsWhere = (sql: string) => q.database.sqlite.prepare(`SELECT id FROM dead_letters WHERE ${sql} ORDER BY id`).pluck().all();
    expect(await walk(q.get, '/dead-letters', 2)).toEqual(idsWhere('replayed_at IS NULL'));
    expect(await walk(q.get, '/dead-letters?includeReplayed=true', 2)).toEqual(idsWhere('1'));
    expect(await walk(q.get, '/dead-letters?destination=shop:a', 2)).toEqual(idsWhere("destination_id = 'shop:a' AND replayed_at IS NULL"));
    expect(await walk(q.get, '/dead-letters?destination=shop:a&includeReplayed=true', 2)).toEqual(idsWhere("destination_id = 'shop:a'"));
    q.database.close();
  });
});

describe('GET /api/quarantine', () => {
  it('pages every payload once, newest first, by nextBefore', async () => {
    const q = withQueues();
    const insert = q.database.sqlite.prepare("INSERT INTO quarantine (platform, shop_id, topic, body, error, created_at) VALUES ('shopify', 's', 't', ?, 'unreadable', 0)");
    for (let i = 0; i < 7; i++) insert.run(`{"n":${i}}`);
    const seen: number[] = [];
    let before: number | null = null;
    do {
      const { body } = await q.get(`/quarantine?limit=3${before === null ? '' : `&before=${before}`}`);
      seen.push(...body.items.map((i: { id: number }) => i.id));
      before = body.nextBefore;
    } while (before !== null);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect((await q.get('/quarantine?before=x')).status).toBe(400);
    q.database.close();
  });
});

describe('POST /api/dead-letters/replay', () => {
  const post = async (app: ReturnType<typeof queueRoutes>, body?: string) => {
    const res = await app.request('/dead-letters/replay', { method: 'POST', ...(body === undefined ? {} : { body }) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('replays every open letter of a destination, past a page of a thousand, and names what it could not', async () => {
    const q = withQueues();
    const storage = createStorage(q.database, { now: () => 1_000_000 });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    const local = 'shopify:demo-shop.myshopify.com:local';
    q.letters(local, 1_205);
    q.letters('shop:gone', 3);
    let flushes = 0;
    storage.ingest.durable = async () => { flushes++; }; // the WAL's fsync in the Node runtime's async durability
    const app = queueRoutes({ storage });
    expect(await post(app, JSON.stringify({ destination: local }))).toEqual({ status: 202, body: { replayed: 1_205, refused: 0, refusals: [] } });
    expect(flushes).toBe(1); // answered once the replays are on disk
    expect(storage.outbox.countUpTo(10_000, local)).toEqual(1_205);
    // No body: all the rest; a destination that is gone cannot take its letters.
    const rest = await post(app);
    expect(rest).toMatchObject({ status: 200, body: { replayed: 0, refused: 3 } });
    expect(rest.body.refusals).toEqual([1, 2, 3].map((i) => ({ id: 1_205 + i, reason: 'destination_removed' })));
    expect(await post(app)).toEqual({ status: 200, body: { replayed: 0, refused: 3, refusals: expect.any(Array) } });
    expect(flushes).toBe(1); // nothing replayed, nothing to wait for
    q.database.close();
  });

  it('refuses a short destination id, an unknown key and a body that is not JSON', async () => {
    const q = withQueues();
    const app = queueRoutes({ storage: createStorage(q.database, { now: () => 1 }) });
    expect(await post(app, '{"destination":"engage"}')).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
    expect(await post(app, '{"destinaton":"shop:a"}')).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
    expect(await post(app, 'all')).toMatchObject({ status: 400, body: { error: 'invalid_json' } });
    q.database.close();
  });
});

describe('DeadLetterBook.replayAll', () => {
  it('lets the event loop turn between slices and waits while the write gate is held', async () => {
    const q = withQueues();
    const storage = createStorage(q.database, { now: () => 1_000_000 });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    q.letters('shopify:demo-shop.myshopify.com:local', 120);
    const gate = q.database.writes;
    gate.hold();
    const done = storage.deadLetters.replayAll(undefined, { gate });
    let turned = false;
    setImmediate(() => { turned = true; });
    await new Promise((r) => setTimeout(r, 20));
    // Held: nothing written yet, and webhooks' turns go on.
    expect([turned, storage.deadLetters.count()]).toEqual([true, 120]);
    gate.open();
    expect(await done).toEqual({ replayed: 120, refused: 0 });
    expect(storage.deadLetters.count()).toBe(0);
    // Open: slice after slice, other work in between (letters still open when a later turn of the loop looks).
    q.letters('shopify:demo-shop.myshopify.com:local', 120);
    const again = storage.deadLetters.replayAll(undefined, { gate });
    const openMeanwhile = await new Promise<number>((resolve) => setImmediate(() => resolve(storage.deadLetters.count())));
    expect(openMeanwhile).toBeGreaterThan(0);
    expect(openMeanwhile).toBeLessThan(120);
    expect(await again).toEqual({ replayed: 120, refused: 0 });
    q.database.close();
  });
});

describe('POST /api/dead-letters/:id/replay', () => {
  it('refuses an id that is not a plain whole number with 400 invalid_id, rather than reading " " as 0 or 0x10 as 16', async () => {
    const q = withQueues();
    q.letters('shop:a', 20);
    const app = queueRoutes({ storage: createStorage(q.database, { now: () => 1 }) });
    for (const id of ['%20', '0x10', '1e1', '-1', '1.0', '99999999999999999999']) {
      const res = await app.request(`/dead-letters/${id}/replay`, { method: 'POST' });
      expect(res.status, id).toBe(400);
      expect(await res.json(), id).toMatchObject({ error: 'invalid_id' });
    }
    expect((await app.request('/dead-letters/16/replay', { method: 'POST' })).status).toBe(409); // destination shop:a is gone
    expect((await app.request('/dead-letters/21/replay', { method: 'POST' })).status).toBe(404);
    q.database.close();
  });
});
