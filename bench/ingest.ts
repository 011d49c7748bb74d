// bench/ingest: signed ~5 KB orders/create webhooks fired at the real server, beside a bare Hono server
// on the same machine: autocannon (closed loop) for the most each can take, an open loop at a fixed rate
// for latency. Prints req/s, p99 and the ratio, then checks that every acknowledged webhook is in the database.
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskUse } from './support/diskUse.ts';
import { openLoop, type OpenLoopResult } from './support/openLoop.ts';
import { startTs } from './support/processes.ts';
import { processCpuMicros } from './support/threadCpu.ts';
import { benchOrderTemplate, signedRequest } from './support/shopifyLoad.ts';

const SECRET = 'bench-secret';
const SHOP = 'bench-shop.myshopify.com';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const offered = Number(process.env.BENCH_RATE ?? 1500);
const template = benchOrderTemplate();
let sequence = 0;

/** Closed loop: every connection sends its next request as soon as the last is answered (throughput). */
async function fire(url: string): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/webhooks/shopify`,
    connections,
    duration: seconds,
    requests: [{
      method: 'POST',
      setupRequest: (req) => {
        const r = signedRequest(template, SECRET, sequence++, SHOP);
        return { ...req, body: r.body, headers: r.headers };
      },
    }],
  });
}

/** Open loop at a fixed rate: latency counted from when each request was due. */
const fireAt = (url: string, rate: number): Promise<OpenLoopResult> =>
  openLoop(`${url}/webhooks/shopify`, { rate, seconds, connections, next: () => signedRequest(template, SECRET, sequence++, SHOP) });

const line = (name: string, r: autocannon.Result) =>
  `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   2xx ${r['2xx']}  non-2xx ${r.non2xx}  errors ${r.errors}`;

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-bench-'));
const dbPath = join(dir, 'bench.db');
console.log(`bench/ingest: ${template.length}-byte orders/create bodies, ${connections} connections, ${seconds}s per run, ${process.version}`);

const bare = await startTs('bench/support/bareHono.ts');
await fire(bare.url); // warm-up
const bareMax = await fire(bare.url);
// The same open loop against a server that does nothing: the latency floor of this machine and generator.
const bareRated = await fireAt(bare.url, offered);
await bare.stop();

const ob = await startTs('src/node/main.ts', { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, SHOPIFY_API_SECRET: SECRET });
await fireAt(ob.url, 500); // warm-up (JIT, first shop)
// The rated run first: after the max run the server would still be working off its backlog.
// Its CPU per webhook (every thread; the event loop's apart) varies far less with a busy machine than its rates do.
const pid = ob.child.pid!;
const cpu0 = [processCpuMicros(pid), processCpuMicros(pid, pid)];
const obRated = await fireAt(ob.url, offered);
const cpu1 = [processCpuMicros(pid), processCpuMicros(pid, pid)];
const obMax = await fire(ob.url);
await ob.stop();

const ratedLine = (name: string, r: OpenLoopResult) =>
  `${`${name} at ${offered} req/s offered`.padEnd(34)} ${r.achieved.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(0).padStart(4)} ms   p99 ${r.p99.toFixed(0).padStart(4)} ms   ` +
  `2xx ${r.ok}  non-2xx ${r.nonOk}  errors ${r.errors}  (open loop, max ${r.max.toFixed(0)} ms)`;
console.log(line('bare Hono (reads body, 200)', bareMax));
console.log(ratedLine('bare Hono', bareRated));
console.log(line('orderbridge (max)', obMax));
console.log(ratedLine('orderbridge', obRated));
const ratio = obMax.requests.average / bareMax.requests.average;
if (cpu0.every((c) => c !== null) && cpu1.every((c) => c !== null)) {
  const per = (i: number) => ((cpu1[i]! - cpu0[i]!) / obRated.ok).toFixed(0);
  console.log(`CPU per webhook at ${offered} req/s: ${per(0)} µs (event loop ${per(1)} µs), every thread of the server, delivery to the local store included`);
}
console.log(`ratio orderbridge/bare: ${ratio.toFixed(2)} (target >= 0.40); p99 at ${offered} req/s: ${obRated.p99.toFixed(0)} ms (target < 20 ms)`);

const db = new Database(dbPath, { readonly: true });
const stored = (db.prepare("SELECT count(*) AS n FROM receipts WHERE outcome = 'accepted'").get() as { n: number }).n;
const delivered = (db.prepare('SELECT count(*) AS n FROM local_orders').get() as { n: number }).n;
// SIGTERM finishes the batch in flight; rows not yet claimed wait in the outbox for the next start.
const queued = (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
db.close();
const acknowledged = obMax['2xx'] + obRated.ok;
// The warm-up run's acknowledgements are stored too, so stored >= the two measured runs.
const warmup = stored - acknowledged;
console.log(`acknowledged in measured runs: ${acknowledged}; accepted receipts in the database: ${stored} (warm-up ${warmup}); delivered to the local store: ${delivered}, still queued: ${queued}`);
if (warmup < 0 || delivered + queued < stored) {
  console.error('FAIL: some acknowledged webhooks are missing from the database');
  process.exitCode = 1;
}
const disk = diskUse(dbPath);
console.log(`disk: ${disk.bytesPerOrder.toFixed(0)} bytes per stored order (target <= 4096; ${disk.orders} orders, each canonical version stored once, `
  + `packed to ${disk.packedBytes.toFixed(0)} bytes); by table: ${disk.tables.map(([t, b]) => `${t} ${b.toFixed(0)}`).join(', ')}`);
// Each run writes hundreds of MB; keep nothing once the count is checked.
rmSync(dir, { recursive: true, force: true });
