// The local store's own copy path (an order no longer in `orders`, e.g. a replayed letter after
// shop/redact) keeps the newest version, as the copy from `orders` does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { DeliveryItem, DestinationContext } from '../delivery/destination.ts';
import { openDatabase, type OpenDatabase } from '../../node/database.ts';
import { makeOrder } from '../../../test/support/canonicalOrder.ts';
import { createLocalStore } from './localStore.ts';

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
  const rows = database.sqlite.prepare("SELECT shop_id AS shopId, json_extract(canonical, '$.note') AS note, deliveries FROM local_orders").all();
  expect(rows).toEqual([{ shopId: 'shopify:demo-shop.myshopify.com', note: 'new', deliveries: 2 }]);
});
