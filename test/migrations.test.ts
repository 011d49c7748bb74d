// Migrations on a database an earlier release made: 0016 (destinations made before customerIdPrefix existed keep
// matching contacts by the bare customer id), 0017 (the outbox without its state column) and 0019 (orders stored
// once, packed).
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ExpertSenderSettings } from '../connectors/stores/expertsender/settings.ts';
import { VoyadoSettings } from '../connectors/stores/voyado/settings.ts';
import { openDatabase } from '../src/node/database.ts';
import { isPlainOrder, unpackOrder } from '../src/core/state/packedOrder.ts';
import { createStorage } from '../src/core/storage.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { databaseMigratedBefore } from './support/migratedBefore.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();
const SHOP = 'shopify:demo-shop.myshopify.com';

/** Each table's columns (name, type, not null, default, key) and indexes (name, columns, partial), by name. */
function schemaOf(sqlite: Database.Database) {
  const tables = sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, {
    columns: sqlite.pragma(`table_info(${t})`),
    indexes: (sqlite.pragma(`index_list(${t})`) as Array<{ name: string; partial: number }>)
      .map((i) => ({ name: i.name, partial: i.partial, columns: sqlite.pragma(`index_xinfo(${i.name})`) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }]));
}

describe('migrations 0016 and 0017 on a database made before them', () => {
  it("writes customerIdPrefix '' into Voyado and ExpertSender destinations with an orderIdPrefix, and nothing else", () => {
    const path = scratchDb('ob-migration-');
    const before = databaseMigratedBefore(path, '0016_');
    const insert = before.sqlite.prepare('INSERT INTO destinations (id, shop_id, kind, settings, enabled, created_at) VALUES (?, ?, ?, ?, 1, 0)');
    const rows: Array<[string, string, Record<string, unknown>]> = [
      ['voyado-prefixed', 'voyado', { tenant: 'brand', orderIdPrefix: 'se-' }],
      ['voyado-plain', 'voyado', { tenant: 'brand' }],
      ['voyado-chosen', 'voyado', { tenant: 'brand', orderIdPrefix: 'se-', customerIdPrefix: null }],
      ['es-prefixed', 'expertsender', { orderIdPrefix: 'a-' }],
      ['esputnik-prefixed', 'esputnik-orders', { orderIdPrefix: 'a-' }],
    ];
    for (const [id, kind, settings] of rows) insert.run(`${SHOP}:${id}`, SHOP, kind, JSON.stringify(settings));
    // A row an older engine left 'inflight' (migration 0017 drops the state column: every row waits).
    before.sqlite.prepare(`INSERT INTO outbox (destination_id, order_key, events, source_updated_at, origin, state, attempts, next_attempt_at, created_at)
      VALUES (?, 'shopify:demo-shop.myshopify.com:1', '[]', 0, 'webhook', 'inflight', 1, 0, 0)`).run(`${SHOP}:voyado-plain`);
    before.close();

    const after = openDatabase(path);
    const settingsOf = (id: string) => JSON.parse((after.sqlite.prepare('SELECT settings FROM destinations WHERE id = ?').get(`${SHOP}:${id}`) as { settings: string }).settings) as Record<string, unknown>;
    expect(settingsOf('voyado-prefixed')).toEqual({ tenant: 'brand', orderIdPrefix: 'se-', customerIdPrefix: '' });
    expect(settingsOf('voyado-plain')).toEqual({ tenant: 'brand' });
    expect(settingsOf('voyado-chosen')).toEqual({ tenant: 'brand', orderIdPrefix: 'se-', customerIdPrefix: null });
    expect(settingsOf('es-prefixed')).toEqual({ orderIdPrefix: 'a-', customerIdPrefix: '' });
    expect(settingsOf('esputnik-prefixed')).toEqual({ orderIdPrefix: 'a-' });
    // The stores read what the migration wrote.
    expect(VoyadoSettings.parse(settingsOf('voyado-prefixed')).customerIdPrefix).toBe('');
    expect(ExpertSenderSettings.parse(settingsOf('es-prefixed')).customerIdPrefix).toBe('');
    expect(createStorage(after, { now: () => 1 }).outbox.claim(`${SHOP}:voyado-plain`, 1, 10).map((r) => r.attempts)).toEqual([1]);
    after.close();
  });
});

describe('migration 0019 on a database made before it', () => {
  it('packs each stored order once into `orders`, keeps a local copy only of an order `orders` no longer holds, and reads both', () => {
    const path = scratchDb('ob-migration-');
    const before = databaseMigratedBefore(path, '0019_');
    const held = makeOrder('7001', { status: 'paid', createdAt: '2025-03-04T05:06:07.891Z', note: 'Gåva' });
    const gone = makeOrder('7002', { note: 'only in the local store' });
    before.sqlite.prepare(`INSERT INTO orders (key, shop_id, source_updated_at, version, canonical, customer_id, customer_email, received_at)
      VALUES (?, ?, ?, 2, ?, 'c1', 'anna@example.com', 5)`).run(held.key, SHOP, Date.parse(held.updatedAt), JSON.stringify(held));
    const local = before.sqlite.prepare('INSERT INTO local_orders (key, shop_id, canonical, source_updated_at, deliveries, delivered_at) VALUES (?, ?, ?, ?, ?, 9)');
    local.run(held.key, SHOP, JSON.stringify(held), Date.parse(held.updatedAt), 3);
    local.run(gone.key, SHOP, JSON.stringify(gone), Date.parse(gone.updatedAt), 1);
    before.close();

    const after = openDatabase(path);
    const row = after.sqlite.prepare('SELECT canonical, status, source_created_at AS createdAt, version, customer_email AS email FROM orders').get() as
      { canonical: Buffer; status: string; createdAt: number; version: number; email: string };
    expect(unpackOrder(row.canonical)).toBe(JSON.stringify(held));
    // Carried over as plain JSON by the migration (plain SQL, as a Durable Object applies it), then packed by Node.
    expect(isPlainOrder(row.canonical)).toBe(false);
    expect(row.canonical.length).toBeLessThan(JSON.stringify(held).length / 2);
    const copy = after.sqlite.prepare('SELECT copy FROM local_orders WHERE copy IS NOT NULL').pluck().get() as Buffer;
    expect(isPlainOrder(copy)).toBe(false);
    expect(row).toMatchObject({ status: 'paid', createdAt: Date.parse('2025-03-04T05:06:07.891Z'), version: 2, email: 'anna@example.com' });
    const copies = after.sqlite.prepare('SELECT key, copy IS NOT NULL AS copied, deliveries FROM local_orders ORDER BY key').all();
    expect(copies).toEqual([{ key: held.key, copied: 0, deliveries: 3 }, { key: gone.key, copied: 1, deliveries: 1 }]);
    const storage = createStorage(after, { now: () => 10 });
    expect(storage.local.get(held.key)).toMatchObject({ order: held, deliveries: 3 });
    expect(storage.local.get(gone.key)?.order).toEqual(gone);
    // The guard reads the migrated status and time: an older version of the held order is stale.
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    // Carried over, it has what a new database has: the same tables, columns and indexes.
    const fresh = openDatabase(':memory:');
    expect(schemaOf(after.sqlite)).toEqual(schemaOf(fresh.sqlite));
    fresh.close();
    const older = { ...held, updatedAt: '2025-12-31T00:00:00.000Z' };
    expect(storage.writer.apply(null, { kind: 'order', order: older, events: ['order.updated'], origin: 'webhook' }).outcome).toBe('stale');
    after.close();
  });
});
