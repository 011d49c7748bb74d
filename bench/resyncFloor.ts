// bench/resyncFloor: what one resynced order costs at the least, each step measured apart on one quiet thread (no
// server, no simulator running meanwhile, no other thread): the reading half (a bulk JSONL line joined, parsed, mapped
// to the canonical order and packed; a WooCommerce page's JSON parsed, mapped and packed), which runs on the
// translation thread, and the writing half (ResyncWriter in one transaction a page), which runs on the event loop.
// The two halves overlap on two cores: the rate can be no higher than one core's worth of the slower half.
// For bulk, the whole machine besides: the JSONL file carried (served and received over HTTP on 127.0.0.1, both ends'
// CPU) added to the reading and the writing, at the floor and as we do it, and the rate that sum allows on two cores
// (2 s of CPU a second): the line that says whether 10,000 orders/s fits two cores at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShopifyAdmin } from '../connectors/platforms/shopify/admin/client.ts';
import { joinBulkJsonl } from '../connectors/platforms/shopify/admin/bulkJoin.ts';
import { BULK_ORDER_SHAPE } from '../connectors/platforms/shopify/admin/documents.ts';
import type { OrderNode } from '../connectors/platforms/shopify/admin/orders.ts';
import { routeEveryShopifyShop } from '../connectors/platforms/shopify/admin/runtime.ts';
import { startShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { WooClient } from '../connectors/platforms/woocommerce/client.ts';
import { startWooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import { mapShopifyGraphqlOrder } from '../mappings/platforms/shopify/graphql/index.ts';
import { mapWooOrder } from '../mappings/platforms/woocommerce/index.ts';
import { parseJsonLossless, type Order } from '../src/core/canonical/index.ts';
import { systemClock } from '../src/core/clock.ts';
import { ResyncWriter } from '../src/core/resync/resyncWriter.ts';
import { resyncedOrder, type ResyncedOrder } from '../src/core/resync/source.ts';
import { createStorage } from '../src/core/storage.ts';
import { packOrder, unpackOrder } from '../src/core/state/packedOrder.ts';
import { openDatabase } from '../src/node/database.ts';
import { collectGarbage } from './support/fullGc.ts';

const N = Number(process.env.BENCH_ORDERS ?? 20_000);
const PAGE = 250;
/** Orders a page of a bulk file, as connectors/platforms/shopify/resync.ts reads them. */
const BULK_PAGE = 100;
const DAY = 86_400_000;
const NOW = Date.now();
const us = (ms: number, n: number) => (ms * 1000) / n;
const fmt = (v: number) => `${v.toFixed(1).padStart(6)} µs`;
/** CPU time (ms), not wall time: the machine is shared, and a step preempted meanwhile did not cost more. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = <T>(f: () => T): [T, number] => {
  const t = cpuMs();
  return [f(), cpuMs() - t];
};
/** Each step twice, the second timed: the first warms the JIT up (a resync of thousands of orders runs warm). */
const warm = <T>(f: () => T): [T, number] => {
  f();
  return timed(f);
};

/** The writing half: pages of versioned orders through ResyncWriter, one transaction a page, into a fresh database. */
function writeFloor(platform: 'shopify' | 'woocommerce', domain: string, versioned: ResyncedOrder[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'orderbridge-resync-floor-'));
  const database = openDatabase(join(dir, 'floor.db'), 'async');
  try {
    const storage = createStorage(database, systemClock);
    const shop = storage.shops.ensure(platform, domain);
    const destinations = storage.shops.destinationsOf(shop.id);
    const writer = new ResyncWriter(database.sqlite, storage.writer);
    const page = database.sqlite.transaction((orders: ResyncedOrder[]) => {
      for (const o of orders) writer.apply(o, { destinations, force: false }, Date.now());
    });
    let ms = 0;
    // The first pages warm up (unmeasured): a resync of thousands of orders runs warm.
    for (let i = 0; i < versioned.length; i += PAGE) {
      const took = timed(() => page.immediate(versioned.slice(i, i + PAGE)))[1];
      if (i >= versioned.length / 4) ms += took;
    }
    return us(ms, versioned.length - Math.ceil(versioned.length / 4 / PAGE) * PAGE);
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(name: string, target: number, read: Record<string, number>, write: number) {
  const readSum = Object.values(read).reduce((a, b) => a + b, 0);
  console.log(`${name}: read ${Object.entries(read).map(([k, v]) => `${k} ${fmt(v)}`).join(' + ')} = ${fmt(readSum)} an order; write ${fmt(write)} an order (one transaction a page of ${PAGE})`);
  const ceiling = 1e6 / Math.max(readSum, write);
  console.log(`${' '.repeat(name.length)}  ceiling on two cores (the halves overlapped, nothing else running) ${Math.round(ceiling)} orders/s; one core ${Math.round(1e6 / (readSum + write))} orders/s; target ${target} orders/s`);
}

/**
 * What an order costs at the least outside our code: its JSON lines parsed (JSON.parse alone), its canonical order
 * serialised and deflated (JSON.stringify, zlib: what packing is made of) and one row of its bytes written (a bare
 * INSERT, one transaction a page): the floor under any mapping, versioning or guard of ours.
 */
function bareFloor(name: string, input: { lines: string[]; orders: number; canonical: string[] }) {
  const [, parse] = warm(() => {
    for (const line of input.lines) JSON.parse(line);
  });
  const objects = input.canonical.map((text) => JSON.parse(text) as unknown);
  const [, stringify] = warm(() => objects.map((o) => JSON.stringify(o)));
  const [, deflate] = warm(() => input.canonical.map((text) => packOrder(text)));
  const dir = mkdtempSync(join(tmpdir(), 'orderbridge-resync-floor-'));
  const db = new Database(join(dir, 'bare.db'));
  let write: number;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE orders (key TEXT PRIMARY KEY, packed BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO orders (key, packed) VALUES (?, ?)');
    const rows = input.canonical.map((text, i) => [`shopify:floor:${i}`, packOrder(text)] as const);
    const page = db.transaction((from: number) => {
      for (let i = from; i < Math.min(from + PAGE, rows.length); i++) insert.run(rows[i]![0], rows[i]![1]);
    });
    page(0); // warm-up, then a fresh table
    db.exec('DELETE FROM orders');
    [, write] = timed(() => {
      for (let i = 0; i < rows.length; i += PAGE) page(i);
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const n = input.canonical.length;
  const parts = { 'JSON.parse of its lines': us(parse, input.orders), 'JSON.stringify': us(stringify, n), deflate: us(deflate, n), 'one row INSERT': us(write, n) };
  const sum = Object.values(parts).reduce((a, b) => a + b, 0);
  console.log(`${' '.repeat(name.length)}  outside our code, at the least: ${Object.entries(parts).map(([k, v]) => `${k} ${fmt(v)}`).join(' + ')} = ${fmt(sum)} an order: `
    + `one core ${Math.round(1e6 / sum)} orders/s, two ${Math.round(2e6 / sum)} orders/s`);
  return sum;
}

/**
 * CPU ms of an asynchronous step (every thread of this process: both ends of a local HTTP transfer), the median of
 * three runs, each after a full collection: a transfer's ~100 MB of chunks is garbage whose collection falls into one
 * run or the next.
 */
async function timedAsync(f: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    const t = cpuMs();
    await f();
    runs.push(cpuMs() - t);
  }
  return runs.sort((a, b) => a - b)[1]!;
}

/**
 * The file carried at the least: a bare node:http server answering with the whole buffer (no file stream, no stream
 * adapters, no framework), read by fetch chunk by chunk as the server reads it (node:http's client costs more), warmed
 * up once: both ends' CPU (ms), the median of three.
 */
async function bareTransport(file: Buffer): Promise<number> {
  const server = createServer((_, res) => res.end(file));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const get = async () => {
    const reader = (await fetch(`http://127.0.0.1:${port}/`)).body!.getReader();
    while (!(await reader.read()).done);
  };
  try {
    await get();
    return await timedAsync(get);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
}


console.log(`bench/resyncFloor: ${N} orders a platform, one thread, CPU time a step (each warmed up first), ${process.version}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

{
  // A bulk operation's JSONL, as the simulator writes it, downloaded whole first: only the reading is timed.
  const sim = await startShopifySimulator({ shop: 'floor.myshopify.com', orders: N, from: new Date(NOW - 400 * DAY).toISOString(), to: new Date(NOW - DAY).toISOString(), bulkLatencyMs: 0 });
  let jsonl: Buffer;
  const transport = { ours: 0, bare: 0 };
  try {
    routeEveryShopifyShop(sim.url);
    let url: string | null = null;
    const pages = new ShopifyAdmin().runBulkOrders({
      shop: sim.shop, token: sim.accessToken, from: new Date(NOW - 400 * DAY), to: new Date(NOW), by: 'created', pollMs: 200,
      onOperation: (op) => (url = op.url),
    });
    await pages.next();
    await pages.return(undefined);
    jsonl = Buffer.from(await (await fetch(url!)).arrayBuffer());
    // The file carried as the server gets it now: the simulator serving it (Hono, a file stream) and fetch's body read
    // chunk by chunk (bulkOrders.ts's chunksOf), both in this process: the CPU of both ends, every thread.
    const download = async () => {
      const reader = (await fetch(url!)).body!.getReader();
      let bytes = 0;
      for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.byteLength;
      return bytes;
    };
    await download();
    transport.ours = await timedAsync(download);
  } finally {
    await sim.close();
  }
  transport.bare = await bareTransport(jsonl);
  const chunks = Array.from({ length: Math.ceil(jsonl.length / 65_536) }, (_, i) => jsonl.subarray(i * 65_536, (i + 1) * 65_536));
  // As the translation thread reads: a page of BULK_PAGE orders joined off the stream, mapped (each node let go once
  // mapped), versioned and packed, then the next page; the garbage of each page falls where it falls.
  const readPages = async (keep: boolean) => {
    const spent = { join: 0, map: 0, pack: 0 };
    const versioned: ResyncedOrder[] = [];
    let orders = 0;
    const joined = joinBulkJsonl((async function* () { yield* chunks; })(), BULK_ORDER_SHAPE);
    for (let done = false; !done;) {
      const page: Array<OrderNode | null> = [];
      let t = cpuMs();
      while (page.length < BULK_PAGE) {
        const next = await joined.next();
        if (next.done) {
          done = true;
          break;
        }
        page.push(next.value.object as OrderNode);
      }
      spent.join += cpuMs() - t;
      t = cpuMs();
      const mapped: Order[] = [];
      for (let i = 0; i < page.length; i++) {
        mapped.push(mapShopifyGraphqlOrder(page[i], 'floor.myshopify.com'));
        page[i] = null;
      }
      spent.map += cpuMs() - t;
      t = cpuMs();
      for (const order of mapped) {
        const v = resyncedOrder(order);
        if (keep) versioned.push(v);
      }
      spent.pack += cpuMs() - t;
      orders += mapped.length;
    }
    return { spent, orders, versioned };
  };
  await readPages(false);
  const { spent, orders: read, versioned } = await readPages(true);
  const lines = jsonl.toString('utf8').split('\n').filter((l) => l !== '');
  const carried = { ours: us(transport.ours, read), bare: us(transport.bare, read) };
  const canonical = versioned.slice(0, 5_000).map((v) => unpackOrder(v.version.packed));
  const ours = { 'JSONL split+parse+join': us(spent.join, read), map: us(spent.map, read), 'version+pack': us(spent.pack, read) };
  const written = writeFloor('shopify', 'floor.myshopify.com', versioned);
  report('shopify bulk', 10_000, ours, written);
  const floor = bareFloor('shopify bulk', { lines, orders: read, canonical });
  // The whole machine: every step of an order on any thread of either process (the server's reading and writing, the
  // simulator serving the file, the HTTP between), summed: on two cores nothing can go faster than 2 s of CPU a second.
  const machine = (name: string, parts: Record<string, number>) => {
    const sum = Object.values(parts).reduce((a, b) => a + b, 0);
    console.log(`  whole machine ${name}: ${Object.entries(parts).map(([k, v]) => `${k} ${fmt(v)}`).join(' + ')} = ${fmt(sum)} CPU an order: `
      + `two cores allow ${Math.round(2e6 / sum)} orders/s (target 10000: ${Math.round(2e6 / 10_000)} µs an order at most)`);
  };
  machine('at the floor (outside our code)', { 'parse+stringify+deflate+INSERT': floor, 'file served (bare node:http) and received (fetch)': carried.bare });
  machine('as we do it (one thread each)', { 'read': Object.values(ours).reduce((a, b) => a + b, 0), write: written, 'file served and received (simulator, fetch)': carried.ours });
}

{
  const woo = await startWooSimulator({ consumerKey: 'ck_floor', consumerSecret: 'cs_floor', storeCurrency: 'EUR' });
  const texts: string[] = [];
  try {
    for (let i = 0; i < N; i++) {
      await woo.createOrder({
        date_created_gmt: new Date(NOW - 399 * DAY + Math.floor((i * 398 * DAY) / N)).toISOString().slice(0, 19), set_paid: i % 3 !== 0, tax_rate_percent: 25,
        billing: { first_name: `Kund ${i}`, email: `kund${i}@example.com` }, line_items: [{ name: 'Kaffe', product_id: 7, quantity: 1 + (i % 4), price: '49.00', sku: 'KAF' }],
      });
    }
    const client = new WooClient({ url: woo.url, consumerKey: 'ck_floor', consumerSecret: 'cs_floor' });
    // The pages' text as they came (re-serialised: the client hands over parsed orders).
    for (let page = 1; ; page++) {
      const res = await client.listOrders({ page, perPage: 100, orderby: 'id', order: 'asc', status: 'any' });
      texts.push(JSON.stringify(res.orders));
      if (page >= res.totalPages) break;
    }
  } finally {
    await woo.close();
  }
  const [pages, parse] = warm(() => texts.map((text) => parseJsonLossless(text) as unknown[]));
  const raw = pages.flat();
  const [orders, map] = warm(() => raw.map((o) => mapWooOrder(o, 'floor.example', { storeCurrency: 'EUR' }) as Order));
  const [versioned, pack] = warm(() => orders.map(resyncedOrder));
  report('woocommerce', 3_000, { 'page parse': us(parse, raw.length), map: us(map, raw.length), 'version+pack': us(pack, raw.length) },
    writeFloor('woocommerce', 'floor.example', versioned));
}
