// bench/beside: what admin reads and background jobs cost the webhooks. Signed webhooks at 1,500/s in windows of
// 10 s against one server over a million stored orders, in one run: alone, beside GET /api/orders pages (a page of
// 500 every 100 ms, every shop's and one shop's, at three depths), alone again, beside a backfill queueing half the
// orders for a store added after them (paused: the queueing is measured, not the delivery), and alone after it.
// Webhooks alone are this machine's floor at that moment: "beside" is to be near it, and under 20 ms where it is. Each line
// also has the server's CPU a webhook (its event loop's, every thread's): a busy machine inflates latencies, not that.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillDatabase } from './support/bigDatabase.ts';
import { listingCursors } from './support/listingCursors.ts';
import { openLoop, type OpenLoopResult } from './support/openLoop.ts';
import { startTs } from './support/processes.ts';
import { processCpuMicros } from './support/threadCpu.ts';
import { benchOrderTemplate, signedRequest } from './support/shopifyLoad.ts';
import { BENCH_SECRET, BENCH_TOKEN, benchNumber, webhookLoad } from './support/benchSettings.ts';

const ORDERS = benchNumber('BENCH_ORDERS', 1_000_000);
const { rate, seconds } = webhookLoad();
const PAUSE_MS = benchNumber('BENCH_PAGE_PAUSE_MS', 100);
/** Windows beside the backfill at most (the job is cancelled after them, and the bench says so). */
const MAX_WINDOWS = benchNumber('BENCH_MAX_WINDOWS', 12);
const HELD = 'held-shop.myshopify.com';
const DEPTHS = [0, 0.5, 0.999];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-beside-'));
const dbPath = join(dir, 'bench.db');
const loadAtStart = load();
const filled = fillDatabase(dbPath, ORDERS, [HELD, 'other-shop.myshopify.com']);
const held = filled.shops[0]!;
const shapes = [
  { query: '', cursors: listingCursors(dbPath, DEPTHS, '1', {}) },
  { query: `shop=${encodeURIComponent(held)}`, cursors: listingCursors(dbPath, DEPTHS, 'shop_id = @shop', { shop: held }) },
];

const ob = await startTs('src/node/main.ts', { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, SHOPIFY_API_SECRET: BENCH_SECRET, ADMIN_TOKEN: BENCH_TOKEN });
const template = benchOrderTemplate();
let sequence = 0;
/** A window's latencies, and the server's CPU per answered webhook in it (µs: its event loop, every thread). */
interface Window extends OpenLoopResult { loopUs: number; allUs: number }
const cpuOf = (pid: number) => [processCpuMicros(pid) ?? NaN, processCpuMicros(pid, pid) ?? NaN] as const;
async function webhooks(): Promise<Window> {
  const pid = ob.child.pid!;
  const before = cpuOf(pid);
  const r = await openLoop(`${ob.url}/webhooks/shopify`, { rate, seconds, connections: 32, next: () => signedRequest(template, BENCH_SECRET, sequence++, 'bench-shop.myshopify.com') });
  const after = cpuOf(pid);
  return { ...r, allUs: (after[0] - before[0]) / r.ok, loopUs: (after[1] - before[1]) / r.ok };
}
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${ob.url}/api${path}`, {
    method, headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, any>;
};

/** Pages of every shape and depth in turn, a pause between two, until `until` settles; each page's time over HTTP. */
async function paging(until: Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let going = true;
  void until.finally(() => (going = false));
  while (going) {
    for (const s of shapes) {
      for (const c of s.cursors) {
        if (!going) return times;
        const started = performance.now();
        const res = await fetch(`${ob.url}/api/orders?limit=500&${s.query}${c ? `&cursor=${encodeURIComponent(c)}` : ''}`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET /api/orders answered ${res.status}`);
        times.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    }
  }
  return times;
}

// A store added after the orders arrived, paused: the backfill finds it missed every one of the held shop's orders.
await api('POST', `/shops/${encodeURIComponent(held)}/destinations`, { kind: 'engage', id: 'later', settings: { baseUrl: 'http://127.0.0.1:9' }, secret: 'k', enabled: false });
await webhooks(); // warm-up (JIT, the webhook shop)
for (const s of shapes) for (const c of s.cursors) await fetch(`${ob.url}/api/orders?limit=500&${s.query}${c ? `&cursor=${encodeURIComponent(c)}` : ''}`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } }).then((r) => r.arrayBuffer());

const rows: Array<{ name: string; runs: Window[] }> = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
/** One line a phase, printed as it ends (a busy machine makes a run long). */
function print(name: string, runs: Window[]): void {
  rows.push({ name, runs });
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  const total = runs.length * rate * seconds;
  const line = runs.length === 1
    ? `${runs[0]!.p50.toFixed(0).padStart(8)}${runs[0]!.p99.toFixed(0).padStart(8)}${runs[0]!.max.toFixed(0).padStart(8)}`
    : `${ms(runs.map((r) => r.p50)).padStart(8)} | p99 ${ms(runs.map((r) => r.p99))} | max ${Math.max(...runs.map((r) => r.max)).toFixed(0)}`;
  const cpu = runs.length === 1 ? `${runs[0]!.loopUs.toFixed(0)} / ${runs[0]!.allUs.toFixed(0)}` : `${ms(runs.map((r) => r.loopUs))} / ${ms(runs.map((r) => r.allUs))}`;
  console.log(`${name.padEnd(44)}${line}   ${ok} of ${total}${runs.length === 1 ? `, ${runs[0]!.achieved.toFixed(0)}/s answered` : ''}; CPU µs a webhook ${cpu}`);
}
console.log(`bench/beside: ${ORDERS} orders in 2 shops (filled in ${filled.seconds.toFixed(0)} s), webhooks at ${rate}/s in ${seconds} s windows, ${process.version}; load average ${loadAtStart}`);
console.log(`${'webhook latency (ms)'.padEnd(44)}${'p50'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}   2xx; the server's CPU a webhook (event loop / every thread)`);
print('alone', [await webhooks()]);
const listed = webhooks();
const pageTimes = await paging(listed);
print(`beside GET /api/orders (a page every ${PAUSE_MS} ms)`, [await listed]);
console.log(`  pages of 500 over HTTP: ${pageTimes.length}, median ${median(pageTimes).toFixed(1)} ms, max ${Math.max(...pageTimes).toFixed(1)} ms`);
print('alone', [await webhooks()]);

const job = await api('POST', `/shops/${encodeURIComponent(held)}/destinations/later/backfill`);
const beside: Window[] = [];
let state = job;
while ((state.state === 'queued' || state.state === 'running') && beside.length < MAX_WINDOWS) {
  beside.push(await webhooks());
  state = await api('GET', `/jobs/${job.id}`);
}
const unfinished = state.state === 'queued' || state.state === 'running';
if (unfinished) state = await api('DELETE', `/jobs/${job.id}`);
print('beside a backfill (each window)', beside);
print('alone', [await webhooks()]);
await ob.stop();
rmSync(dir, { recursive: true, force: true });

const jobSeconds = (Date.parse(state.finishedAt ?? new Date().toISOString()) - Date.parse(state.startedAt)) / 1000;
console.log(`backfill: ${state.state}${unfinished ? ` (cancelled after ${MAX_WINDOWS} windows)` : ''}, ${state.counts.queued} queued of ${state.counts.seen} seen in ${jobSeconds.toFixed(1)} s `
  + `(${Math.round(state.counts.seen / jobSeconds)} orders/s, ${state.counts.steps} steps)`);
console.log(`target: webhook p99 < 20 ms beside either (and near the webhooks alone where those are above it); load average ${load()} at the end`);
