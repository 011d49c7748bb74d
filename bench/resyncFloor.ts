// bench/resyncFloor: what one resynced order costs at the least, each step measured apart on one quiet thread (no
// server, no simulator running meanwhile, no other thread): the reading half (a bulk JSONL line joined, parsed, mapped
// to the canonical order and packed; a WooCommerce page's JSON parsed, mapped and packed), which runs on the
// translation thread, and the writing half (ResyncWriter in one transaction a page), which runs on the event loop.
// The two halves overlap on two cores: the rate can be no higher than one core's worth of the slower half.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { openDatabase } from '../src/node/database.ts';

const N = Number(process.env.BENCH_ORDERS ?? 20_000);
const PAGE = 250;
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

console.log(`bench/resyncFloor: ${N} orders a platform, one thread, CPU time a step (each warmed up first), ${process.version}`);

{
  // A bulk operation's JSONL, as the simulator writes it, downloaded whole first: only the reading is timed.
  const sim = await startShopifySimulator({ shop: 'floor.myshopify.com', orders: N, from: new Date(NOW - 400 * DAY).toISOString(), to: new Date(NOW - DAY).toISOString(), bulkLatencyMs: 0 });
  let jsonl: Buffer;
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
  } finally {
    await sim.close();
  }
  const chunks = Array.from({ length: Math.ceil(jsonl.length / 65_536) }, (_, i) => jsonl.subarray(i * 65_536, (i + 1) * 65_536));
  const joinAll = async () => {
    const nodes: OrderNode[] = [];
    const t = cpuMs();
    for await (const joined of joinBulkJsonl((async function* () { yield* chunks; })(), BULK_ORDER_SHAPE)) nodes.push(joined.object as OrderNode);
    return { nodes, ms: cpuMs() - t };
  };
  await joinAll();
  const { nodes, ms: join_ } = await joinAll();
  // Mapped twice from the same nodes: the mapping does not change its input.
  const [orders, map] = warm(() => nodes.map((n) => mapShopifyGraphqlOrder(n, 'floor.myshopify.com')));
  const [versioned, pack] = warm(() => orders.map(resyncedOrder));
  report('shopify bulk', 10_000, { 'JSONL split+parse+join': us(join_, nodes.length), map: us(map, nodes.length), 'version+pack': us(pack, nodes.length) },
    writeFloor('shopify', 'floor.myshopify.com', versioned));
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
