// Migration 0016: destinations made before customerIdPrefix existed keep matching contacts by the bare customer id.
import { describe, expect, it } from 'vitest';
import { ExpertSenderSettings } from '../connectors/expertsender/settings.ts';
import { VoyadoSettings } from '../connectors/voyado/settings.ts';
import { openDatabase } from '../src/state/database.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();
const SHOP = 'shopify:demo-shop.myshopify.com';

describe('migration 0016 (customerIdPrefix for destinations that had an orderIdPrefix)', () => {
  it("writes customerIdPrefix '' into Voyado and ExpertSender destinations with an orderIdPrefix, and nothing else", () => {
    const path = scratchDb('ob-migration-');
    const before = openDatabase(path);
    const insert = before.sqlite.prepare('INSERT INTO destinations (id, shop_id, kind, settings, enabled, created_at) VALUES (?, ?, ?, ?, 1, 0)');
    const rows: Array<[string, string, Record<string, unknown>]> = [
      ['voyado-prefixed', 'voyado', { tenant: 'brand', orderIdPrefix: 'se-' }],
      ['voyado-plain', 'voyado', { tenant: 'brand' }],
      ['voyado-chosen', 'voyado', { tenant: 'brand', orderIdPrefix: 'se-', customerIdPrefix: null }],
      ['es-prefixed', 'expertsender', { orderIdPrefix: 'a-' }],
      ['esputnik-prefixed', 'esputnik-orders', { orderIdPrefix: 'a-' }],
    ];
    for (const [id, kind, settings] of rows) insert.run(`${SHOP}:${id}`, SHOP, kind, JSON.stringify(settings));
    // As if the database were made before 0016: the migrator runs what comes after the last recorded migration.
    before.sqlite.prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)').run();
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
    after.close();
  });
});
