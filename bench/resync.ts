// bench/resync: generated orders resynced from each platform simulator to the local store by an orderbridge server,
// with signed Shopify webhooks at BENCH_RATE/s beside it (webhook p99 in windows while the resync runs):
// - Shopify paged: Admin API points spent per second against the bucket's restore rate, THROTTLED answers
//   (run for BENCH_PAGED_SECONDS, then cancelled: at Shopify's 1,000-point queries a big range takes hours);
// - Shopify bulk: orders per second from the bulk operation's JSONL to committed outbox rows (job start to end);
// - WooCommerce: orders per second from the REST simulator (100 a page), trash included;
// and the server's peak RSS (VmHWM) after each. BENCH_ORDERS (default 100,000), BENCH_RESYNC=shopify-paged,shopify-bulk,woocommerce.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { startWooSimulator } from '../connectors/platforms/woocommerce/simulator/index.ts';
import type { OpenLoopResult } from './support/openLoop.ts';
import { ROOT, startTs, type Child } from './support/processes.ts';
import { startWebhookThread } from './support/webhookThread.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 1500);
const WINDOW = Number(process.env.BENCH_SECONDS ?? 5);
const PAGED_SECONDS = Number(process.env.BENCH_PAGED_SECONDS ?? 30);
const RESTORE = Number(process.env.BENCH_RESTORE_RATE ?? 1000);
const which = (process.env.BENCH_RESYNC ?? 'shopify-paged,shopify-bulk,woocommerce').split(',');
const SECRET = 'bench-secret';
const TOKEN = 'bench-token';
const DAY = 86_400_000;
const NOW = Date.now();
const RANGE = { from: new Date(NOW - 400 * DAY).toISOString(), to: new Date(NOW).toISOString() };

// The server as `npm start` runs it (dist/, rebuilt first when a source changed): tsx's loader in every thread would
// add ~100 MB to its RSS. BENCH_TSX=1 runs the sources instead.
// BENCH_MAIN=<path under the repository> runs another build (e.g. a copy of dist/ from an earlier commit, side by side).
const MAIN = process.env.BENCH_MAIN ?? (process.env.BENCH_TSX ? 'src/node/main.ts' : 'dist/src/node/main.js');
if (!process.env.BENCH_TSX && !process.env.BENCH_MAIN) spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });

async function server(env: Record<string, string>): Promise<{ ob: Child; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'orderbridge-resync-'));
  const ob = await startTs(MAIN, {
    PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'bench.db'), SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: TOKEN, RECONCILE_INTERVAL: '0', ...env,
  });
  return { ob, dir };
}

const api = async (ob: Child, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${ob.url}/api${path}`, {
    method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, any>;
};

/** The server's peak resident memory so far, MB (Linux). */
const peakRss = (ob: Child) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${ob.child.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

/** The server's CPU time so far (every thread, user + system), ms (Linux). */
const cpuMs = (ob: Child) => {
  const fields = readFileSync(`/proc/${ob.child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime and stime, in ticks of 1/100 s
};

/** CPU so far (ms) of each of the server's threads, by thread id, with its name (Linux). */
const threadCpu = (ob: Child): Map<string, { name: string; ms: number }> => {
  const out = new Map<string, { name: string; ms: number }>();
  for (const tid of readdirSync(`/proc/${ob.child.pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${ob.child.pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = tid === String(ob.child.pid) ? 'event loop' : readFileSync(`/proc/${ob.child.pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(tid, { name, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
};

/** The CPU an order cost on each thread between two readings, biggest first (threads of one name summed, V8's helpers together). */
const byThread = (before: Map<string, { name: string; ms: number }>, after: Map<string, { name: string; ms: number }>, orders: number) => {
  const sums = new Map<string, number>();
  for (const [tid, t] of after) {
    const name = t.name === 'event loop' ? t.name : t.name.startsWith('V8') || t.name.startsWith('node') ? `${t.name} #${tid}` : t.name;
    sums.set(name, (sums.get(name) ?? 0) + t.ms - (before.get(tid)?.ms ?? 0));
  }
  return [...sums].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]).slice(0, 6)
    .map(([name, ms]) => `${name} ${Math.round((ms * 1000) / orders)}`).join(', ');
};

/** When a bulk resync's first page was seen: the orders by then, and the CPU (ms) the server and this process had spent. */
interface FirstPage { at: number; seen: number; serverMs: number; threads: Map<string, { name: string; ms: number }>; benchMs: number }

/** This process's CPU so far (every thread, ms): the simulators, serving the bulk JSONL. */
const benchCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Follows a resync to its end (or `stopAfterMs`, then cancels it), with webhook windows beside it; when its first page was seen. */
async function follow(ob: Child, id: number, stopAfterMs = Infinity): Promise<{ job: Record<string, any>; windows: OpenLoopResult[]; firstPage: FirstPage | null }> {
  const windows: OpenLoopResult[] = [];
  const started = Date.now();
  let firstPage: FirstPage | null = null;
  for (;;) {
    if (RATE > 0) {
      windows.push(await webhookThread.fire({ url: ob.url, rate: RATE, seconds: WINDOW, secret: SECRET, shop: 'bench-webhooks.myshopify.com' }));
    } else await new Promise((r) => setTimeout(r, 500));
    const job = await api(ob, 'GET', `/resync/${id}`);
    if (!firstPage && job.pages > 0) firstPage = { at: Date.now(), seen: job.orders.seen, serverMs: cpuMs(ob), threads: threadCpu(ob), benchMs: benchCpuMs() };
    if (!['queued', 'running'].includes(job.state)) return { job, windows, firstPage };
    if (Date.now() - started > stopAfterMs) return { job: await api(ob, 'DELETE', `/resync/${id}`), windows, firstPage };
  }
}

const seconds = (job: Record<string, any>) => (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
const p99s = (windows: OpenLoopResult[]) => (windows.length === 0 ? 'no webhooks'
  : `webhook p99 per ${WINDOW} s window ${windows.map((w) => w.p99.toFixed(0)).join(', ')} ms (max ${Math.max(...windows.map((w) => w.max)).toFixed(0)} ms, `
    + `2xx ${windows.reduce((n, w) => n + w.ok, 0)} of ${windows.length * RATE * WINDOW})`);

/** Webhook p99 with no resync running, to compare the windows with. */
async function baseline(ob: Child): Promise<string> {
  if (RATE === 0) return '';
  const window = { url: ob.url, rate: RATE, seconds: WINDOW, secret: SECRET, shop: 'bench-baseline.myshopify.com' };
  await webhookThread.fire(window); // warm-up: a server just started answers its first webhooks slower (the JIT, the shop's first row)
  const w = await webhookThread.fire(window);
  return `; webhook p99 before it ${w.p99.toFixed(0)} ms`;
}

// The webhooks come from a thread of their own: the simulators serve their pages on this process's event loop.
const webhookThread = startWebhookThread();
console.log(`bench/resync: ${ORDERS} generated orders a simulator, webhooks at ${RATE}/s beside, server ${MAIN}, ${process.version}`);

for (const mode of which.filter((m) => m.startsWith('shopify'))) {
  const bulk = mode === 'shopify-bulk';
  const sim = await startShopifySimulator({
    shop: `bench-${mode}.myshopify.com`, orders: ORDERS, from: RANGE.from, to: new Date(NOW - DAY).toISOString(),
    bucket: { restoreRate: RESTORE }, bulkLatencyMs: 100, bulkTemplates: 1_000, // a million orders rendered in about a minute
  });
  const { ob, dir } = await server({ SHOPIFY_ADMIN_URL: sim.url, RESYNC_BULK_ABOVE: bulk ? '0' : String(ORDERS * 10) });
  try {
    await api(ob, 'POST', '/shops', { platform: 'shopify', shop: sim.shop, accessToken: sim.accessToken, deliveryUrl: `${ob.url}/webhooks/shopify` });
    const before = await baseline(ob);
    const job = await api(ob, 'POST', `/shops/${encodeURIComponent(`shopify:${sim.shop}`)}/resync`, RANGE);
    const spentBefore = sim.stats.pointsSpent;
    const levelBefore = sim.bucket().status().currentlyAvailable;
    const cpuBefore = cpuMs(ob);
    const threadsBefore = threadCpu(ob);
    const t0 = performance.now();
    const { job: end, windows, firstPage } = await follow(ob, job.id, bulk ? Infinity : PAGED_SECONDS * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const levelAfter = sim.bucket().status().currentlyAvailable;
    if (bulk) {
      // From the first page read (the operation had completed and its file was streaming) to the job's end.
      const reading = firstPage ? (Date.parse(end.finishedAt) - firstPage.at) / 1000 : NaN;
      const read = end.orders.seen - (firstPage?.seen ?? 0);
      // The whole machine from the first page on: the server (every thread) and this process (the simulator serving
      // the JSONL; with BENCH_RATE=0 nothing else), CPU µs an order, and the rate that allows on two cores.
      const server = firstPage ? ((cpuMs(ob) - firstPage.serverMs) * 1000) / read : NaN;
      const simUs = firstPage ? ((benchCpuMs() - firstPage.benchMs) * 1000) / read : NaN;
      console.log(`shopify bulk: ${end.state}, ${end.orders.seen} orders, job ${seconds(end).toFixed(1)} s (the simulator's bulk run included); from the first page on `
        + `${read} orders in ${reading.toFixed(1)} s (${Math.round(read / reading)} orders/s, target ≥ 10,000, ${end.pages} pages); `
        + `whole machine from the first page on: server ${Math.round(server)} + bench process (simulator${RATE > 0 ? ', webhooks' : ''}) ${Math.round(simUs)} = ${Math.round(server + simUs)} µs CPU an order `
        + `(by thread, µs: ${firstPage ? byThread(firstPage.threads, threadCpu(ob), read) : '?'}): two cores allow ${Math.round(2e6 / (server + simUs))} orders/s; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; `
        + `the server's CPU ${Math.round(((cpuMs(ob) - cpuBefore) * 1000) / end.orders.seen)} µs an order (every thread, the whole job; by thread, µs: ${byThread(threadsBefore, threadCpu(ob), end.orders.seen)}); THROTTLED ${sim.stats.throttled}; peak RSS ${peakRss(ob)} MB (target < 300)${before}; ${p99s(windows)}`);
    } else {
      // The bucket starts full (20 s of restore): what is spent beyond what it held then and still holds at the end
      // (its level read at both ends) is what the restore rate paid for.
      const spent = sim.stats.pointsSpent - spentBefore;
      const beyond = (spent - (levelBefore - levelAfter)) / elapsed;
      console.log(`shopify paged: ${end.orders.seen} orders in ${end.pages} pages over ${elapsed.toFixed(0)} s (then cancelled); points spent ${(spent / elapsed).toFixed(0)}/s, `
        + `${beyond.toFixed(0)}/s beyond the bucket's level at the start (${levelBefore}) and at the end (${levelAfter}), of a restore rate of ${RESTORE}/s `
        + `(${((100 * beyond) / RESTORE).toFixed(0)} %, target ≥ 90 %); `
        + `THROTTLED ${sim.stats.throttled}; peak RSS ${peakRss(ob)} MB (target < 300)${before}; ${p99s(windows)}`);
    }
  } finally {
    await ob.stop();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (which.includes('woocommerce')) {
  const woo = await startWooSimulator({ consumerKey: 'ck_bench', consumerSecret: 'cs_bench', storeCurrency: 'EUR' });
  const filling = performance.now();
  for (let i = 0; i < ORDERS; i++) {
    const at = new Date(NOW - 399 * DAY + Math.floor((i * 398 * DAY) / ORDERS)).toISOString().slice(0, 19);
    await woo.createOrder({
      date_created_gmt: at, set_paid: i % 3 !== 0, tax_rate_percent: 25, billing: { first_name: `Kund ${i}`, email: `kund${i}@example.com` },
      line_items: [{ name: 'Kaffe', product_id: 7, quantity: 1 + (i % 4), price: '49.00', sku: 'KAF' }],
    });
  }
  const filledIds = woo.orderIds();
  for (let i = 0; i < ORDERS / 100; i++) await woo.deleteOrder(filledIds[i * 100]!);
  const filled = (performance.now() - filling) / 1000;
  const { ob, dir } = await server({});
  try {
    await api(ob, 'POST', '/shops', { platform: 'woocommerce', url: woo.url, consumerKey: 'ck_bench', consumerSecret: 'cs_bench', storeCurrency: 'EUR', registerWebhooks: false, webhookSecret: 'bench-webhook-secret' });
    const shopId = `woocommerce:${new URL(woo.url).host}`;
    const before = await baseline(ob);
    const cpuBefore = cpuMs(ob);
    const threadsBefore = threadCpu(ob);
    const job = await api(ob, 'POST', `/shops/${encodeURIComponent(shopId)}/resync`, RANGE);
    const { job: end, windows } = await follow(ob, job.id);
    console.log(`woocommerce: ${end.state}, ${end.orders.seen} orders (1 % in the trash; filled in ${filled.toFixed(0)} s) in ${seconds(end).toFixed(1)} s `
      + `(${Math.round(end.orders.seen / seconds(end))} orders/s, target ≥ 3,000, ${end.pages} pages of 100); `
      + `the server's CPU ${Math.round(((cpuMs(ob) - cpuBefore) * 1000) / end.orders.seen)} µs an order (every thread; by thread, µs: ${byThread(threadsBefore, threadCpu(ob), end.orders.seen)}); peak RSS ${peakRss(ob)} MB (target < 300)${before}; ${p99s(windows)}`);
  } finally {
    await ob.stop();
    await woo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
await webhookThread.close();
