// What is kept only for a while: receipts, quarantined payloads and replayed dead letters are pruned
// oldest first in slices; what is still needed (a letter never replayed, anything recent) stays.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/node/database.ts';
import { pruneAppended, pruneFinishedJobs, pruneReplayedLetters } from '../src/core/state/retention.ts';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { createStorage } from '../src/core/storage.ts';
import { readConfig } from '../src/node/config.ts';
import { startNode } from '../src/node/server.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';
import { eventually } from './support/shopifySender.ts';

const SHOP = 'shopify:demo-shop.myshopify.com';
const scratchDb = scratchDatabases();

describe('receipt retention', () => {
  /** A database with a receipt received every second from t=0, written through the real SyncWriter. */
  function withReceipts() {
    const database = openDatabase(scratchDb('ob-receipts-'));
    let t = 0;
    const storage = createStorage(database, { now: () => t });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    const receive = (prefix: string, n: number) => {
      for (let i = 0; i < n; i++) {
        t = i * 1000;
        storage.writer.apply({ id: `${SHOP}:${prefix}${i}`, shopId: SHOP, topic: 'products/update', eventId: null }, { kind: 'ignored', reason: 'test' });
      }
    };
    return { database, receive };
  }

  it('forgets delivery ids older than the window, oldest first, and keeps the rest', async () => {
    const { database, receive } = withReceipts();
    receive('w', 120);
    expect(await pruneAppended(database.db, 'receipts', 100_000, { slice: 7 })).toBe(100);
    const left = database.sqlite.prepare('SELECT id FROM receipts ORDER BY received_at').all() as Array<{ id: string }>;
    expect(left.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `${SHOP}:w${i + 100}`));
    database.close();
  });

  it('waits at the write gate between slices, and stops between slices when aborted', async () => {
    const { database, receive } = withReceipts();
    receive('g', 50);
    const count = () => (database.sqlite.prepare('SELECT count(*) AS n FROM receipts').get() as { n: number }).n;
    database.writes.hold();
    const held = pruneAppended(database.db, 'receipts', 100_000, { slice: 10, gate: database.writes });
    await new Promise((r) => setTimeout(r, 20));
    expect(count()).toBe(50);
    database.writes.open();
    expect(await held).toBe(50);

    receive('a', 30);
    const stop = new AbortController();
    const stopped = pruneAppended(database.db, 'receipts', 100_000, { slice: 10, signal: stop.signal });
    stop.abort(); // the first slice has run synchronously; the rest is not started
    expect(await stopped).toBe(10);
    expect(count()).toBe(20);
    database.close();
  });
});

describe('quarantine and dead letter retention', () => {
  function withRows() {
    const database = openDatabase(scratchDb('ob-retention-'));
    const quarantine = database.sqlite.prepare(`INSERT INTO quarantine (platform, shop_id, topic, body, error, created_at)
      VALUES ('shopify', ?, 'orders/create', '{"email":"zoe@example.com"}', 'unreadable', ?)`);
    const letter = database.sqlite.prepare(`INSERT INTO dead_letters (destination_id, order_key, events, source_updated_at, origin, attempts, error, created_at, replayed_at)
      VALUES ('d', ?, '["order.created"]', 0, 'webhook', 12, 'refused', 0, ?)`);
    const ids = (table: string) => database.sqlite.prepare(`SELECT ${table === 'quarantine' ? 'created_at' : 'order_key'} FROM ${table} ORDER BY id`).pluck().all();
    return { database, quarantine, letter, ids };
  }

  it('forgets quarantined payloads older than the window, and stops at the first slice with nothing old in it', async () => {
    const { database, quarantine, ids } = withRows();
    for (let i = 0; i < 30; i++) quarantine.run(SHOP, i * 1000);
    expect(await pruneAppended(database.db, 'quarantine', 20_000, { slice: 4 })).toBe(20);
    expect(ids('quarantine')).toEqual(Array.from({ length: 10 }, (_, i) => (i + 20) * 1000));
    expect(await pruneAppended(database.db, 'quarantine', 20_000, { slice: 4 })).toBe(0);
    database.close();
  });

  it('a newer row out of time order at the front does not shield the old rows behind it', async () => {
    const { database, quarantine, ids } = withRows();
    quarantine.run(SHOP, 50_000); // a clock that stepped back after it
    for (let i = 0; i < 6; i++) quarantine.run(SHOP, i * 1000);
    quarantine.run(SHOP, 60_000);
    expect(await pruneAppended(database.db, 'quarantine', 10_000, { slice: 3 })).toBe(6);
    expect(ids('quarantine')).toEqual([50_000, 60_000]);
    database.close();
  });

  it('forgets a dead letter some time after its replay, and never one that was not replayed', async () => {
    const { database, letter, ids } = withRows();
    letter.run('never-replayed-old', null);
    for (let i = 0; i < 9; i++) letter.run(`replayed-${i}`, i * 1000);
    expect(await pruneReplayedLetters(database.db, 5_000, { slice: 2 })).toBe(5);
    expect(ids('dead_letters')).toEqual(['never-replayed-old', 'replayed-5', 'replayed-6', 'replayed-7', 'replayed-8']);
    database.close();
  });
});

const DAY = 86_400_000;

/** Inserts a job of `shop` as it would be after running: its kind, whether a reconciliation pass, its state and end. */
function insertJob(sqlite: SqliteDatabase, job: { shop: string; kind?: string; pass?: boolean; state: string; finishedAt: number | null }): number {
  const options = job.pass ? '{"by":"updated","reconcile":true}' : '{"by":"created"}';
  return Number(sqlite.prepare(`INSERT INTO jobs (kind, shop_id, destinations, options, state, created_at, updated_at, finished_at)
    VALUES (?, ?, '[]', ?, ?, 0, 0, ?)`).run(job.kind ?? 'resync', job.shop, options, job.state, job.finishedAt).lastInsertRowid);
}

describe('job retention', () => {
  it('prunes finished passes beyond the newest of their shop, other finished jobs past the window; keeps the last completed pass and anything unfinished', async () => {
    const database = openDatabase(scratchDb('ob-jobs-'));
    const { sqlite } = database;
    const now = 100 * DAY;
    const A = 'shopify:a.myshopify.com';
    const B = 'woocommerce:b.example';
    const ids = { passesA: [] as number[], passesB: [] as number[], resyncsA: [] as number[], backfillsA: [] as number[], resyncsB: [] as number[] };
    // Shop A: six completed passes, recent all (passes go whatever their age); six resyncs asked for, the first four
    // ended 40 days ago, the rest lately; two backfills, long ago; one resync left running 60 days ago.
    for (let i = 0; i < 6; i++) ids.passesA.push(insertJob(sqlite, { shop: A, pass: true, state: 'done', finishedAt: now - DAY + i }));
    for (let i = 0; i < 6; i++) ids.resyncsA.push(insertJob(sqlite, { shop: A, state: i % 2 ? 'done' : 'failed', finishedAt: now - (i < 4 ? 40 : 1) * DAY }));
    for (let i = 0; i < 2; i++) ids.backfillsA.push(insertJob(sqlite, { shop: A, kind: 'backfill', state: 'done', finishedAt: now - 50 * DAY }));
    const running = insertJob(sqlite, { shop: A, state: 'running', finishedAt: null });
    // Shop B: one completed pass, then five that failed (the platform down); two old resyncs, fewer than it keeps.
    ids.passesB.push(insertJob(sqlite, { shop: B, pass: true, state: 'done', finishedAt: now - 2 * DAY }));
    for (let i = 0; i < 5; i++) ids.passesB.push(insertJob(sqlite, { shop: B, pass: true, state: 'failed', finishedAt: now - DAY + i }));
    for (let i = 0; i < 2; i++) ids.resyncsB.push(insertJob(sqlite, { shop: B, state: 'cancelled', finishedAt: now - 90 * DAY }));

    expect(await pruneFinishedJobs(database.db, now - 30 * DAY, { keepPerShop: 3, slice: 2 })).toBe(3 + 3 + 2);
    const left = new Set(sqlite.prepare('SELECT id FROM jobs').pluck().all() as number[]);
    const kept = (list: number[]) => list.filter((id) => left.has(id));
    expect(kept(ids.passesA)).toEqual(ids.passesA.slice(3)); // the newest three
    // The newest three, then the older ones that ended within the window (none here: the older four ended 40 days ago).
    expect(kept(ids.resyncsA)).toEqual(ids.resyncsA.slice(3));
    expect(kept(ids.backfillsA)).toEqual(ids.backfillsA); // two: fewer than kept of their kind
    expect(left.has(running)).toBe(true);
    // The newest three failed passes, and the completed one the next pass starts from.
    expect(kept(ids.passesB)).toEqual([ids.passesB[0], ...ids.passesB.slice(3)]);
    expect(kept(ids.resyncsB)).toEqual(ids.resyncsB);
    expect(await pruneFinishedJobs(database.db, now - 30 * DAY, { keepPerShop: 3 })).toBe(0);
    database.close();
  });
});

describe('pruning in the running connector', () => {
  it('on start, forgets what is past each window (receipts, quarantine, replayed letters, finished jobs) and keeps the rest', async () => {
    const path = scratchDb('ob-retention-node-');
    const now = Date.now();
    const day = 86_400_000;
    const seed = openDatabase(path);
    const receipt = seed.sqlite.prepare(`INSERT INTO receipts (id, shop_id, topic, outcome, received_at) VALUES (?, ?, 'orders/create', 'accepted', ?)`);
    receipt.run(`${SHOP}:old`, SHOP, now - 3 * day);
    receipt.run(`${SHOP}:new`, SHOP, now);
    const quarantine = seed.sqlite.prepare(`INSERT INTO quarantine (platform, shop_id, topic, body, error, created_at) VALUES ('shopify', ?, 't', '{}', 'e', ?)`);
    quarantine.run(SHOP, now - 8 * day);
    quarantine.run(SHOP, now - day);
    const letter = seed.sqlite.prepare(`INSERT INTO dead_letters (destination_id, order_key, events, source_updated_at, origin, attempts, error, created_at, replayed_at)
      VALUES ('d', ?, '[]', 0, 'webhook', 1, 'e', 0, ?)`);
    letter.run('replayed-long-ago', now - 15 * day);
    letter.run('replayed-lately', now - day);
    letter.run('never-replayed', null);
    // 25 completed reconciliation passes of a shop: the newest 20 stay.
    for (let i = 0; i < 25; i++) insertJob(seed.sqlite, { shop: SHOP, pass: true, state: 'done', finishedAt: now - day + i });
    seed.close();

    const node = await startNode(readConfig({
      PORT: '0', DATABASE_PATH: path, ENCRYPTION_KEY: 'retention-tests-key',
      RECEIPTS_RETENTION_DAYS: '2', QUARANTINE_RETENTION_DAYS: '7', REPLAYED_LETTERS_RETENTION_DAYS: '14',
    }));
    try {
      const { sqlite } = node.storage.database;
      const left = () => ({
        receipts: sqlite.prepare('SELECT id FROM receipts').pluck().all(),
        quarantine: sqlite.prepare('SELECT count(*) FROM quarantine').pluck().get(),
        letters: sqlite.prepare('SELECT order_key FROM dead_letters ORDER BY id').pluck().all(),
        jobs: sqlite.prepare('SELECT min(id) || \'..\' || max(id) FROM jobs').pluck().get(),
      });
      const expected = { receipts: [`${SHOP}:new`], quarantine: 1, letters: ['replayed-lately', 'never-replayed'], jobs: '6..25' };
      await eventually(async () => (JSON.stringify(left()) === JSON.stringify(expected) ? true : undefined), 5_000, 'pruned on start');
      expect(left()).toEqual(expected);
    } finally {
      await node.stop();
    }
  });
});
