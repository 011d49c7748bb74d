// The write gate the checkpointer holds while it finishes a round: the ingest queue and the delivery
// engine wait at it (nothing written, nothing answered) and carry on once it opens, losing nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { openDatabase, type OpenDatabase } from '../src/node/database.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage, type Storage } from '../src/core/storage.ts';
import { STORES } from '../connectors/registry.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { query } from './support/database.ts';

const DOMAIN = 'gate-shop.myshopify.com';
const SHOP = `shopify:${DOMAIN}`;

describe('write gate (real SQLite file)', () => {
  let database: OpenDatabase;
  let storage: Storage;

  beforeEach(() => {
    database = openDatabase(join(mkdtempSync(join(tmpdir(), 'ob-gate-')), 'state.db'));
    storage = createStorage(database, systemClock);
    storage.shops.ensure('shopify', DOMAIN);
    storage.shops.upsertDestination({ id: `${SHOP}:local`, shopId: SHOP, kind: 'local', settings: '{}', secretSealed: null, enabled: true });
  });
  afterEach(() => {
    database.writes.open();
    database.close();
    rmSync(dirname(database.path), { recursive: true, force: true });
  });

  const submit = (id: string) => storage.ingest.submit(
    { id: `${SHOP}:d-${id}`, shopId: SHOP, topic: 'orders/create', eventId: null },
    { kind: 'order', order: makeOrder(id, {}, DOMAIN), events: ['order.created'], origin: 'webhook' },
  );
  const count = (table: string) => query<{ n: number }>(database.path, `SELECT count(*) AS n FROM ${table}`)[0]!.n;

  it('holds ingest commits (and their answers) while held, then commits every waiting webhook', async () => {
    database.writes.hold();
    let answered = 0;
    const results = ['1', '2', '3'].map((id) => submit(id).then((r) => (answered++, r)));
    await sleep(30);
    expect(answered).toBe(0);
    expect(count('receipts')).toBe(0);
    expect(count('orders')).toBe(0);
    database.writes.open();
    expect((await Promise.all(results)).map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(count('orders')).toBe(3);
    expect(storage.ingest.stats.commits).toBe(1);
  });

  it('commits at once when the gate is open', async () => {
    const result = await submit('9');
    expect(result.outcome).toBe('accepted');
    expect(count('orders')).toBe(1);
  });

  it('lets a delivery batch wait before it writes to the local store and settles once open', async () => {
    const engine = new DeliveryEngine({
      sqlite: database.sqlite, gate: database.writes, queue: storage.outbox, shops: storage.shops,
      stores: createStoreCatalog(database.db, STORES), secrets: await SecretBox.fromPassphrase('gate'), clock: systemClock,
      options: { pollMs: 10, nudgeDelayMs: 0 },
    });
    await submit('5');
    expect(count('outbox')).toBe(1);
    database.writes.hold();
    engine.start();
    await sleep(50);
    expect(count('local_orders')).toBe(0);
    expect(count('outbox')).toBe(1);
    database.writes.open();
    await engine.drain();
    await engine.stop();
    expect(count('local_orders')).toBe(1);
    expect(count('outbox')).toBe(0);
  });
});
