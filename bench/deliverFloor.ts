// bench/deliverFloor: what delivering one order costs at the least, each step measured apart on one quiet
// thread (no HTTP, no simulator, no other thread): the floor under bench/deliver's CPU per order.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Order } from '../src/core/canonical/index.ts';
import { systemClock } from '../src/core/clock.ts';
import { currentOrdersOf } from '../src/core/state/currentOrders.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { STORES } from '../connectors/registry.ts';
import { benchOrder } from './support/deliverTargets.ts';

const N = Number(process.env.BENCH_ORDERS ?? 100_000);
const BATCH = 250;
const perOrder = (ms: number) => `${((ms * 1000) / N).toFixed(2)} µs`;

const dbPath = join(mkdtempSync(join(tmpdir(), 'orderbridge-floor-')), 'floor.db');
const database = openDatabase(dbPath, 'async');
const storage = createStorage(database, systemClock);
const shop = storage.shops.ensure('shopify', 'bench.myshopify.com');
const destinationId = `${shop.id}:engage`;
storage.shops.removeDestination(shop.id, `${shop.id}:local`); // only the store under test
storage.shops.upsertDestination({ id: destinationId, shopId: shop.id, kind: 'engage', settings: '{}', secretSealed: null, enabled: true });
const enqueue = database.sqlite.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) storage.writer.apply(null, { kind: 'order', order: benchOrder(i), events: ['order.created'], origin: 'resync' });
});
for (let i = 0; i < N; i += 5000) enqueue(i, Math.min(N, i + 5000));
database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const keys = Array.from({ length: N }, (_, i) => benchOrder(i).key);

// The preparation thread's half: read each order's newest version (first touch, as in a drain), parse, map + encode.
const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
reader.pragma('mmap_size = 1073741824'); // as the preparation thread opens it
const currentOrders = currentOrdersOf(reader);
// The stores with a preparation (the registry's), each with its settings as its schema reads them.
const preparing = STORES.filter((s) => s.prepare).map((store) => ({ store, settings: store.settingsSchema.parse(store.kind === 'engage' ? { maxOrderAgeDays: 0 } : {}) }));
const stores = preparing.map((p) => p.store.kind);
const spent = { read: 0, parse: 0, ...Object.fromEntries(stores.map((k) => [k, 0])) } as Record<string, number>;
let bytes = 0;
for (let i = 0; i < N; i += BATCH) {
  let t = performance.now();
  const texts = [...currentOrders(keys.slice(i, i + BATCH)).values()];
  spent.read! += performance.now() - t;
  t = performance.now();
  const orders = texts.map((text) => JSON.parse(text) as Order);
  spent.parse! += performance.now() - t;
  bytes += texts.reduce((sum, text) => sum + text.length, 0);
  for (const { store, settings } of preparing) {
    t = performance.now();
    for (const order of orders) store.prepare!({ order, events: ['order.created'], origin: 'resync' }, settings, Date.now());
    spent[store.kind]! += performance.now() - t;
  }
}
reader.close();

// The event loop's SQLite half: claim due rows in order, then settle them delivered.
let claimMs = 0;
let settleMs = 0;
for (;;) {
  let t = performance.now();
  const rows = storage.outbox.claim(destinationId, Date.now(), BATCH);
  claimMs += performance.now() - t;
  if (rows.length === 0) break;
  t = performance.now();
  database.sqlite.transaction(() => storage.outbox.deliveredAll(rows)).immediate();
  settleMs += performance.now() - t;
}
database.close();
rmSync(dirname(dbPath), { recursive: true, force: true });

console.log(`bench/deliverFloor: ${N} orders (${Math.round(bytes / N)} bytes of canonical JSON each), batches of ${BATCH}, one thread, ${process.version}`);
console.log(`  read newest version  ${perOrder(spent.read!)}   (first touch, as a drain reads it)`);
console.log(`  JSON.parse           ${perOrder(spent.parse!)}`);
for (const kind of stores) console.log(`  map + encode ${kind.padEnd(16)} ${perOrder(spent[kind]!)}`);
console.log(`  claim (event loop)   ${perOrder(claimMs)}`);
console.log(`  settle (event loop)  ${perOrder(settleMs)}`);
console.log(`  floor for Engage     ${perOrder(spent.read! + spent.parse! + spent.engage! + claimMs + settleMs)} an order, before HTTP, threads and GC`);
