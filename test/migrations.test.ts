// Migrations on a database an earlier release made: 0016 (destinations made before customerIdPrefix existed keep
// matching contacts by the bare customer id) and 0017 (the outbox without its state column).
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExpertSenderSettings } from '../connectors/stores/expertsender/settings.ts';
import { VoyadoSettings } from '../connectors/stores/voyado/settings.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();
const MIGRATIONS = fileURLToPath(new URL('../src/core/state/migrations/', import.meta.url));

/** A database as a release before `tag` made it: the committed migrations up to it, through drizzle's migrator. */
function databaseMigratedBefore(path: string, tag: string): { sqlite: Database.Database; close(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'ob-migrations-'));
  mkdirSync(join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.filter((e) => e.tag < tag);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) copyFileSync(join(MIGRATIONS, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  return { sqlite, close: () => { sqlite.close(); rmSync(folder, { recursive: true, force: true }); } };
}
const SHOP = 'shopify:demo-shop.myshopify.com';

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
