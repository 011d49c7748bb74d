// bench/listing: GET /api/orders pages of 500 over a million stored orders, at several cursor depths, every shop's
// and one shop's, with and without an update-time range, while signed webhooks arrive at 1,500/s: page time beside
// the webhooks' p99 without and with the paging. (Before, an unfiltered page scanned and sorted the whole table: 7 s.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStoreReader } from '../src/core/localStore/localStore.ts';
import { openDatabase } from '../src/node/database.ts';
import { fillDatabase } from './support/bigDatabase.ts';
import { listingCursors } from './support/listingCursors.ts';
import { openLoop } from './support/openLoop.ts';
import { startTs } from './support/processes.ts';
import { benchOrderTemplate, signedRequest } from './support/shopifyLoad.ts';
import { BENCH_SECRET, BENCH_TOKEN, benchNumber, webhookLoad } from './support/benchSettings.ts';

const ORDERS = benchNumber('BENCH_ORDERS', 1_000_000);
const { rate, seconds } = webhookLoad();
/** How long the admin client waits between two pages (an operator paging, or a script walking the store). */
const PAUSE_MS = benchNumber('BENCH_PAGE_PAUSE_MS', 100);
const DEPTHS = [0, 0.1, 0.5, 0.999];

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-listing-'));
const dbPath = join(dir, 'bench.db');
const filled = fillDatabase(dbPath, ORDERS, ['shop-a.myshopify.com', 'shop-b.myshopify.com', 'shop-c.myshopify.com', 'shop-d.myshopify.com']);
const shop = filled.shops[1]!;
// A range holding a quarter of the two years, from its middle.
const from = Date.parse('2024-10-01T00:00:00Z');
const to = Date.parse('2025-04-01T00:00:00Z');

const cursorsAt = (where: string, params: Record<string, unknown>) => listingCursors(dbPath, DEPTHS, where, params);

const shapes = [
  { name: 'every shop', query: '', cursors: cursorsAt('1', {}) },
  { name: 'one shop', query: `shop=${encodeURIComponent(shop)}`, cursors: cursorsAt('shop_id = @shop', { shop }) },
  { name: 'every shop, a range', query: `updatedFrom=${from}&updatedTo=${to}`, cursors: cursorsAt('source_updated_at BETWEEN @from AND @to', { from, to }) },
  { name: 'one shop, a range', query: `shop=${encodeURIComponent(shop)}&updatedFrom=${from}&updatedTo=${to}`,
    cursors: cursorsAt('shop_id = @shop AND source_updated_at BETWEEN @from AND @to', { shop, from, to }) },
];

/**
 * What a page holds the event loop for, whatever else the machine runs: CPU time of the reader's list() in this
 * process on the same file (its median of five, each shape and depth), before the server starts.
 */
function pageCpuMs(): number[][] {
  const database = openDatabase(dbPath);
  const reader = new LocalStoreReader(database.sqlite);
  const at = (cursor: string | null, query: string) => {
    const q = new URLSearchParams(query);
    const cpu0 = process.cpuUsage();
    reader.list({ limit: 500, shopId: q.get('shop') ?? undefined, updatedFrom: q.has('updatedFrom') ? Number(q.get('updatedFrom')) : undefined,
      updatedTo: q.has('updatedTo') ? Number(q.get('updatedTo')) : undefined, cursor: cursor ?? undefined });
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / 1000;
  };
  try {
    // Every page read once first: its pages in from disk, and the code compiled.
    for (const s of shapes) for (const c of s.cursors) at(c, s.query);
    return shapes.map((s) => s.cursors.map((c) => median(Array.from({ length: 5 }, () => at(c, s.query)))));
  } finally {
    database.close();
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const cpuMs = pageCpuMs();

const ob = await startTs('src/node/main.ts', { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, SHOPIFY_API_SECRET: BENCH_SECRET, ADMIN_TOKEN: BENCH_TOKEN });
const template = benchOrderTemplate();
let sequence = 0;
const webhooks = () => openLoop(`${ob.url}/webhooks/shopify`, { rate, seconds, connections: 32, next: () => signedRequest(template, BENCH_SECRET, sequence++, 'bench-shop.myshopify.com') });

/** Fetches one page and reads it whole (its time ends there, before the client parses it); returns how many orders it held. */
async function page(query: string, cursor: string | null): Promise<{ ms: number; orders: number }> {
  const started = performance.now();
  const res = await fetch(`${ob.url}/api/orders?limit=500&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
  const bytes = await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET /api/orders answered ${res.status}`);
  return { ms, orders: (JSON.parse(Buffer.from(bytes).toString('utf8')) as { orders: unknown[] }).orders.length };
}

await webhooks(); // warm-up (JIT, the webhook shop)
for (const s of shapes) for (const c of s.cursors) await page(s.query, c);
const quiet = await webhooks();

// Pages of every shape and depth in turn, a pause between two, for as long as the webhooks run.
const times = shapes.map((s) => s.cursors.map(() => [] as number[]));
let paging = true;
const pager = (async () => {
  while (paging) {
    for (const [i, s] of shapes.entries()) {
      for (const [j, c] of s.cursors.entries()) {
        if (!paging) return;
        const { ms, orders } = await page(s.query, c);
        if (orders !== 500) throw new Error(`${s.name} at depth ${DEPTHS[j]}: ${orders} orders`);
        times[i]![j]!.push(ms);
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    }
  }
})();
const busy = await webhooks();
paging = false;
await pager;
await ob.stop();
rmSync(dir, { recursive: true, force: true });

console.log(`bench/listing: ${ORDERS} orders in ${filled.shops.length} shops (filled in ${filled.seconds.toFixed(0)} s), pages of 500, `
  + `webhooks at ${rate}/s for ${seconds} s, a page every ${PAUSE_MS} ms, ${process.version}`);
console.log(`${'page of 500 over HTTP (median / max ms)'.padEnd(30)}${DEPTHS.map((d) => `depth ${Math.round(d * 100)}%`.padStart(16)).join('')}`);
for (const [i, s] of shapes.entries()) {
  console.log(`${s.name.padEnd(30)}${times[i]!.map((t) => `${median(t).toFixed(1)} / ${Math.max(...t).toFixed(1)}`.padStart(16)).join('')}`);
}
console.log(`${'event loop CPU a page (ms)'.padEnd(30)}${DEPTHS.map(() => ''.padStart(16)).join('')}`);
for (const [i, s] of shapes.entries()) console.log(`${s.name.padEnd(30)}${cpuMs[i]!.map((ms) => ms.toFixed(1).padStart(16)).join('')}`);
const pages = times.flat(2).length;
console.log(`webhook p99: ${quiet.p99.toFixed(0)} ms without paging, ${busy.p99.toFixed(0)} ms while ${pages} pages were read (max ${busy.max.toFixed(0)} ms; `
  + `2xx ${quiet.ok + busy.ok} of ${quiet.ok + quiet.nonOk + quiet.errors + busy.ok + busy.nonOk + busy.errors}); target: every page < 50 ms, p99 < 20 ms`);
