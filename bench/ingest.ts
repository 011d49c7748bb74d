// bench/ingest: signed ~5 KB orders/create webhooks fired with autocannon at the real server, beside a
// bare Hono server on the same machine. Prints req/s, p99 and the ratio, then checks that every
// acknowledged webhook is in the database.
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTs } from './support/processes.ts';
import { benchOrderTemplate, signedRequest } from './support/shopifyLoad.ts';

const SECRET = 'bench-secret';
const SHOP = 'bench-shop.myshopify.com';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const offered = Number(process.env.BENCH_RATE ?? 1500);
const template = benchOrderTemplate();
let sequence = 0;

async function fire(url: string, rate?: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/webhooks/shopify`,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [{
      method: 'POST',
      setupRequest: (req) => {
        const r = signedRequest(template, SECRET, sequence++, SHOP);
        return { ...req, body: r.body, headers: r.headers };
      },
    }],
  });
}

const line = (name: string, r: autocannon.Result) =>
  `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   2xx ${r['2xx']}  non-2xx ${r.non2xx}  errors ${r.errors}`;

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-bench-'));
const dbPath = join(dir, 'bench.db');
console.log(`bench/ingest: ${template.length}-byte orders/create bodies, ${connections} connections, ${seconds}s per run, ${process.version}`);

const bare = await startTs('bench/support/bareHono.ts');
await fire(bare.url); // warm-up
const bareMax = await fire(bare.url);
await bare.stop();

const ob = await startTs('src/node/main.ts', { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, SHOPIFY_API_SECRET: SECRET });
await fire(ob.url, 500); // warm-up (JIT, first shop)
const obMax = await fire(ob.url);
const obRated = await fire(ob.url, offered);
await ob.stop();

console.log(line('bare Hono (reads body, 200)', bareMax));
console.log(line('orderbridge (max)', obMax));
console.log(line(`orderbridge at ${offered} req/s offered`, obRated));
const ratio = obMax.requests.average / bareMax.requests.average;
console.log(`ratio orderbridge/bare: ${ratio.toFixed(2)} (target >= 0.40); p99 at ${offered} req/s: ${obRated.latency.p99} ms (target < 20 ms)`);

const db = new Database(dbPath, { readonly: true });
const stored = (db.prepare("SELECT count(*) AS n FROM receipts WHERE outcome = 'accepted'").get() as { n: number }).n;
const delivered = (db.prepare('SELECT count(*) AS n FROM local_orders').get() as { n: number }).n;
db.close();
const acknowledged = [obMax, obRated].reduce((n, r) => n + r['2xx'], 0);
// The warm-up run's acknowledgements are stored too, so stored >= the two measured runs.
const warmup = stored - acknowledged;
console.log(`acknowledged in measured runs: ${acknowledged}; accepted receipts in the database: ${stored} (warm-up ${warmup}); delivered to the local store: ${delivered}`);
if (warmup < 0) {
  console.error('FAIL: some acknowledged webhooks are missing from the database');
  process.exitCode = 1;
}
