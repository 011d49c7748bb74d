// The local store reads each order where `orders` keeps it (stored once); its own copy path (an order no longer
// in `orders`, e.g. a replayed letter after shop/redact) keeps the newest version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { DeliveryItem, DestinationContext } from '../delivery/destination.ts';
import { openDatabase, type OpenDatabase } from '../../node/database.ts';
import { createStorage } from '../storage.ts';
import { makeOrder } from '../../../test/support/canonicalOrder.ts';
import { createLocalStore, LocalStoreReader } from './localStore.ts';

let database: OpenDatabase;
afterEach(() => {
  database.close();
  rmSync(dirname(database.path), { recursive: true, force: true });
});

const item = (note: string, updatedAt: string): DeliveryItem => ({
  id: 1, orderKey: 'shopify:demo-shop.myshopify.com:1', events: ['order.created'], order: makeOrder('1', { note, updatedAt }),
  customer: null, origin: 'replay', attempt: 1,
});

it('stores an order it carries itself, and an older copy never replaces a newer one', async () => {
  database = openDatabase(join(mkdtempSync(join(tmpdir(), 'ob-local-')), 'state.db'));
  const store = createLocalStore(database.db);
  const ctx = { now: () => 5 } as unknown as DestinationContext<Record<string, never>>;
  await store.deliver([item('new', '2026-01-02T00:00:00.000Z')], ctx);
  await store.deliver([item('old', '2026-01-01T00:00:00.000Z')], ctx);
  const rows = database.sqlite.prepare('SELECT shop_id AS shopId, deliveries FROM local_orders').all();
  expect(rows).toEqual([{ shopId: 'shopify:demo-shop.myshopify.com', deliveries: 2 }]);
  expect(new LocalStoreReader(database.sqlite).get(item('', '').orderKey)?.order.note).toBe('new');
});

it('keeps no copy of an order `orders` holds: it reads the version stored there', async () => {
  database = openDatabase(join(mkdtempSync(join(tmpdir(), 'ob-local-')), 'state.db'));
  const storage = createStorage(database, { now: () => 5 });
  storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
  const order = makeOrder('2', { note: 'held once' });
  storage.writer.apply(null, { kind: 'order', order, events: ['order.created'], origin: 'webhook' });
  const store = createLocalStore(database.db);
  const ctx = { now: () => 6 } as unknown as DestinationContext<Record<string, never>>;
  await store.deliver([{ id: 1, orderKey: order.key, events: ['order.created'], order: null, customer: null, origin: 'webhook', attempt: 1 }], ctx);
  expect(database.sqlite.prepare('SELECT copy, deliveries, delivered_at AS deliveredAt FROM local_orders').all()).toEqual([{ copy: null, deliveries: 1, deliveredAt: 6 }]);
  expect(storage.local.get(order.key)).toEqual({ order, deliveries: 1, deliveredAt: 6 });
});
