// The core over a SQL port such as a Durable Object offers (test/support/positionalPort.ts): parameters bound by
// position only, no SQL functions, the migrations applied through drizzle's durable-sqlite migrator.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateAsDurableObject } from 'drizzle-orm/durable-sqlite/migrator';
import type { DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../src/core/canonical/index.ts';
import type { Clock } from '../src/core/clock.ts';
import { BACKFILL } from '../src/core/delivery/backfill.ts';
import { JobRunner } from '../src/core/jobs/jobRunner.ts';
import { jobKinds } from '../src/core/jobs/kinds.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { StoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { createLocalStore } from '../src/core/localStore/localStore.ts';
import { bundledMigrations, migrationsFolder } from '../src/core/state/migrations.ts';
import { positionalSql, positionalValues } from '../src/core/state/positionalParameters.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import type { StateDatabase } from '../src/core/state/sqlPort.ts';
import { createStorage, type Storage } from '../src/core/storage.ts';
import { openDatabase } from '../src/node/database.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { positionalDatabase } from './support/positionalPort.ts';

const SHOP = 'shopify:demo-shop.myshopify.com';
const schemaOf = (sqlite: Database.Database) =>
  sqlite.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE '\\_\\_drizzle%' ESCAPE '\\' ORDER BY name").all();

/** Applies the migrations as a Durable Object would: their SQL bundled as text, drizzle's durable-sqlite migrator. */
async function migratedAsDurableObject(sqlite: Database.Database): Promise<void> {
  const bundle = bundledMigrations((tag) => readFileSync(fileURLToPath(new URL(`${tag}.sql`, migrationsFolder())), 'utf8'));
  // That migrator asks its database for transaction(), run() and values() only, which drizzle's better-sqlite3 database has.
  await migrateAsDurableObject(drizzle(sqlite) as unknown as DrizzleSqliteDODatabase<Record<string, never>>, bundle);
}

describe('positional parameters (what a Durable Object port binds)', () => {
  it('rewrites @names outside quotes, in order, and binds them by name', () => {
    const { sql, names } = positionalSql(`INSERT INTO t VALUES (@a, '@not', "@col", @b, @a) -- x`);
    expect(sql).toBe(`INSERT INTO t VALUES (?, '@not', "@col", ?, ?) -- x`);
    expect(names).toEqual(['a', 'b', 'a']);
    expect(positionalValues(names, [{ a: 1, b: 'two' }])).toEqual([1, 'two', 1]);
    expect(positionalValues([], [1, 2])).toEqual([1, 2]);
    expect(() => positionalValues(['a'], [{}])).toThrow('missing named parameter @a');
  });
});

describe('the migrations as a Durable Object applies them', () => {
  it('make the schema the Node runtime makes, and apply once', async () => {
    const node = openDatabase(':memory:');
    const durable = new Database(':memory:');
    await migratedAsDurableObject(durable);
    await migratedAsDurableObject(durable); // a restart: nothing applied twice
    expect(schemaOf(durable)).toEqual(schemaOf(node.sqlite));
    node.close();
    durable.close();
  });
});

describe('the core on a port without named parameters or SQL functions', () => {
  let sqlite: Database.Database;
  let database: StateDatabase;
  let storage: Storage;
  let now = 1_000;
  const clock: Clock = { now: () => now };

  beforeEach(async () => {
    now = 1_000;
    sqlite = new Database(':memory:');
    await migratedAsDurableObject(sqlite);
    database = positionalDatabase(sqlite);
    storage = createStorage(database, clock);
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
  });
  afterEach(() => sqlite.close());

  const receive = (id: string, updatedAt = '2026-01-01T00:00:00.000Z') => storage.ingest.submit(
    { id: `${SHOP}:${id}-${updatedAt}`, shopId: SHOP, topic: 'orders/create', eventId: null },
    { kind: 'order', order: makeOrder(id, { updatedAt }), events: ['order.created'], origin: 'webhook' },
  );

  it('takes webhooks, claims in order without asking SQL who holds a row, and delivers to the local store', async () => {
    expect((await Promise.all(['1', '2', '3'].map((id) => receive(id)))).map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await receive('1')).toMatchObject({ outcome: 'duplicate' });
    const local = `${SHOP}:local`;
    const first = storage.outbox.claim(local, now, 2);
    expect(first.map((r) => r.orderKey)).toEqual([`${SHOP}:1`, `${SHOP}:2`]);
    // Claimed rows are not claimed again: the claim is handed the ids held, as a JSON list.
    expect(storage.outbox.claim(local, now, 10).map((r) => r.orderKey)).toEqual([`${SHOP}:3`]);
    storage.outbox.releaseClaims();

    const engine = new DeliveryEngine({
      sqlite: database.sqlite, queue: storage.outbox, shops: storage.shops, clock,
      stores: new StoreCatalog([createLocalStore(database.db)]), secrets: await SecretBox.fromPassphrase('k'), options: { pollMs: 10 },
    });
    await engine.drain();
    expect(storage.outbox.count()).toBe(0);
    expect(storage.local.list({ limit: 10 }).orders.map((o) => (JSON.parse(String(o)) as Order).source.orderId).sort()).toEqual(['1', '2', '3']);
  });

  it('dead-letters, replays and backfills through named statements', async () => {
    await receive('7');
    const local = `${SHOP}:local`;
    const [row] = storage.outbox.claim(local, now, 1);
    storage.outbox.deadLetter(row!, 'refused', now);
    const [letter] = storage.deadLetters.list({ limit: 10 });
    expect(letter).toMatchObject({ orderKey: `${SHOP}:7`, error: 'refused', attempts: 1 });
    expect(storage.deadLetters.replay(letter!.id)).toEqual({ replayed: true, outboxOrderKey: `${SHOP}:7` });
    expect(storage.outbox.countUpTo(10, local)).toBe(1);

    now += 5_000;
    const copy = storage.shops.upsertDestination({ id: `${SHOP}:copy`, shopId: SHOP, kind: 'local', settings: '{}', secretSealed: null, enabled: true });
    const { id } = storage.jobs.create({ kind: BACKFILL, shopId: SHOP, destinations: [copy.id] });
    await new JobRunner({ sqlite: database.sqlite, book: storage.jobs, kinds: jobKinds(storage), clock, options: { minPauseMs: 0, share: 1, retryBaseMs: 1 } }).drain();
    expect(storage.jobs.get(id)).toMatchObject({ state: 'done', queued: 1 });
    expect(storage.shops.removeDestination(SHOP, copy.id)).toEqual({ queuedRowsDropped: 1 });
  });
});
