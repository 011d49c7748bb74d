// bench/backfill: a backfill job over a million held orders of one shop, run beside signed webhooks at 1,500/s:
// how soon the 202 comes, how long the job takes, and webhook p99 before it and in each window while it queues.
// The destination is paused, so what is measured is the queueing, not the delivery of what it queued.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillDatabase } from './support/bigDatabase.ts';
import { openLoop, type OpenLoopResult } from './support/openLoop.ts';
import { startTs } from './support/processes.ts';
import { benchOrderTemplate, signedRequest } from './support/shopifyLoad.ts';
import { BENCH_SECRET, BENCH_TOKEN, benchNumber, webhookLoad } from './support/benchSettings.ts';

const ORDERS = benchNumber('BENCH_ORDERS', 1_000_000);
const { rate, seconds } = webhookLoad();
const SHOP = 'held-shop.myshopify.com';

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-backfill-'));
const dbPath = join(dir, 'bench.db');
const filled = fillDatabase(dbPath, ORDERS, [SHOP]);
const ob = await startTs('src/node/main.ts', { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, SHOPIFY_API_SECRET: BENCH_SECRET, ADMIN_TOKEN: BENCH_TOKEN });
const template = benchOrderTemplate();
let sequence = 0;
const webhooks = () => openLoop(`${ob.url}/webhooks/shopify`, { rate, seconds, connections: 32, next: () => signedRequest(template, BENCH_SECRET, sequence++, SHOP) });
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${ob.url}/api${path}`, {
    method, headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, any>;
};

// A store added after the orders arrived, paused: the backfill finds it missed every one of them.
const shop = `shopify:${SHOP}`;
await api('POST', `/shops/${encodeURIComponent(shop)}/destinations`, { kind: 'engage', id: 'later', settings: { baseUrl: 'http://127.0.0.1:9' }, secret: 'k', enabled: false });
await webhooks(); // warm-up
const before = await webhooks();

const asked = performance.now();
const job = await api('POST', `/shops/${encodeURIComponent(shop)}/destinations/later/backfill`);
const answeredMs = performance.now() - asked;
const windows: OpenLoopResult[] = [];
let state = job;
while (state.state === 'queued' || state.state === 'running') {
  windows.push(await webhooks());
  state = await api('GET', `/jobs/${job.id}`);
}
await ob.stop();
rmSync(dir, { recursive: true, force: true });

const jobSeconds = (Date.parse(state.finishedAt) - Date.parse(state.startedAt)) / 1000;
console.log(`bench/backfill: ${ORDERS} held orders of one shop (filled in ${filled.seconds.toFixed(0)} s), webhooks at ${rate}/s, ${process.version}`);
console.log(`202 after ${answeredMs.toFixed(0)} ms; job ${state.state}: ${state.counts.queued} queued of ${state.counts.seen} seen in ${jobSeconds.toFixed(1)} s `
  + `(${Math.round(state.counts.seen / jobSeconds)} orders/s, ${state.counts.steps} steps)`);
console.log(`webhook p99 before: ${before.p99.toFixed(0)} ms; while it queued, per ${seconds} s window: ${windows.map((w) => w.p99.toFixed(0)).join(', ')} ms `
  + `(max ${Math.max(...windows.map((w) => w.max)).toFixed(0)} ms; 2xx ${windows.reduce((n, w) => n + w.ok, 0)} of ${windows.length * rate * seconds}); target p99 < 20 ms`);
