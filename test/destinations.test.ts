// One owner for what a destination may be (src/core/shops/destinations.ts): the admin API's input, DESTINATION_*
// and the engine's reading of a stored row go through the same store schema, and say the same of the same mistake.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORES } from '../connectors/registry.ts';
import type { Clock } from '../src/core/clock.ts';
import { createStoreCatalog, type StoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { Destinations, rowSettings } from '../src/core/shops/destinations.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage, type Storage } from '../src/core/storage.ts';
import { openDatabase, type OpenDatabase } from '../src/node/database.ts';

const SHOP = 'shopify:demo-shop.myshopify.com';

describe('Destinations', () => {
  let database: OpenDatabase;
  let storage: Storage;
  let stores: StoreCatalog;
  let destinations: Destinations;
  let now = 1_000;
  const clock: Clock = { now: () => now };

  beforeEach(async () => {
    database = openDatabase(':memory:');
    storage = createStorage(database, clock);
    stores = createStoreCatalog(database.db, STORES);
    destinations = new Destinations({ shops: storage.shops, outbox: storage.outbox, stores, secrets: await SecretBox.fromPassphrase('k'), clock });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
  });
  afterEach(() => database.close());

  it('refuses the same bad setting on each path, naming it as that path spells it', async () => {
    expect(await destinations.put(SHOP, { kind: 'engage', settings: { baseUrl: 'ftp://x' }, secret: 'token' }))
      .toEqual({ error: 'invalid_settings', message: 'settings.baseUrl: an http:// or https:// URL' });
    await expect(destinations.useEnvironment({ kind: 'engage', settings: '{"baseUrl":"ftp://x"}', secret: 'token' }))
      .rejects.toThrow('DESTINATION_SETTINGS: baseUrl: an http:// or https:// URL');
    const stored = { ...storage.shops.destination(`${SHOP}:local`)!, id: `${SHOP}:engage`, kind: 'engage', settings: '{"baseUrl":"ftp://x"}' };
    expect(rowSettings(stores.get('engage')!, stored)).toEqual({ ok: false, message: `destination ${SHOP}:engage has invalid settings: baseUrl: an http:// or https:// URL` });
  });

  it('writes the settings as the store reads them (defaults filled in), seals the key and keeps it when left out', async () => {
    const first = await destinations.put(SHOP, { kind: 'engage', settings: { baseUrl: 'http://127.0.0.1:9' }, secret: 'token' });
    if ('error' in first) throw new Error(first.message);
    expect(first.created).toBe(true);
    expect(JSON.parse(first.row.settings)).toMatchObject({ baseUrl: 'http://127.0.0.1:9', maxOrderAgeDays: 730, sendTestOrders: false });
    expect(first.row.secretSealed).not.toContain('token');
    const again = await destinations.put(SHOP, { kind: 'engage', enabled: false });
    if ('error' in again) throw new Error(again.message);
    expect(again).toMatchObject({ created: false, row: { enabled: false, secretSealed: first.row.secretSealed, settings: first.row.settings } });
    expect(rowSettings(stores.get('engage')!, again.row)).toMatchObject({ ok: true, settings: { baseUrl: 'http://127.0.0.1:9' } });
    // Another store under the same id is not given the first one's key.
    expect(await destinations.put(SHOP, { id: 'engage', kind: 'voyado', settings: { tenant: 'brand' } }))
      .toEqual({ error: 'missing_secret', message: 'Voyado Engage orders v3 needs its API key or token as "secret"' });
  });

  it('refuses an unknown store, and changing the environment\'s destination through the API', async () => {
    expect(await destinations.put(SHOP, { kind: 'nope' })).toMatchObject({ error: 'unknown_store' });
    await destinations.useEnvironment({ kind: 'engage', settings: '{}', secret: 'token' });
    expect(storage.shops.destination(`${SHOP}:engage`)).toMatchObject({ fromEnvironment: true, kind: 'engage' });
    expect(await destinations.put(SHOP, { kind: 'engage', enabled: false })).toMatchObject({ error: 'configured_by_environment' });
  });
});
