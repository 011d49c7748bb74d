// bench/pacing: each store drained at its own documented request limit. The simulator (in its own process) enforces the
// limit (429 + Retry-After above it); the engine paces to it. Prints the request rate achieved as a fraction of the limit
// (target >= 95 %) and the 429s the store answered (target 0), for one destination and for two destinations holding the
// same API key (which must share the limit, not take it each).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import type { StoreFetch } from '../src/core/delivery/storeHttp.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { openDatabase } from '../src/node/database.ts';
import { startPreparationThreads } from '../src/node/preparationThread.ts';
import { StoreConnections } from '../src/node/storeConnections.ts';
import { STORES } from '../connectors/registry.ts';
import { benchOrder } from './support/deliverTargets.ts';
import { startRemoteTarget } from './support/remoteTarget.ts';

const SECONDS = Number(process.env.BENCH_PACING_SECONDS ?? 10);
// Orders per request where a store batches: the request limit, not our CPU, is what must bind here (Engage's 250 a request at
// 100 requests/s is 25,000 orders/s, bench/deliver's territory).
const BATCH = Number(process.env.BENCH_PACING_BATCH ?? 5);
// Batches in flight per destination: the server's (DELIVERY_LANES 2, and as many more as a paced store needs, see
// DeliveryOptions.laneRoundTripMs) unless BENCH_LANES fixes them.
const LANES = process.env.BENCH_LANES ? Number(process.env.BENCH_LANES) : null;
const only = process.argv.slice(2);

/** The requests each store's documented limit counts, when not all of them (eSputnik events: v1/event has its own 350/s). */
const counted: Record<string, (url: string) => boolean> = { 'esputnik-events': (url) => url.endsWith('/v1/event') };

interface Figures { rate: number; limit: number; requests: number; throttled: number; left: number; dead: number; roundTrips: number[] }

async function drain(kind: string, destinations: number): Promise<Figures> {
  const manifest = STORES.find((s) => s.kind === kind)!;
  const limit = manifest.requestsPerSecond!;
  const store = manifest.batchSize > BATCH && kind !== 'esputnik-events' ? { ...manifest, batchSize: BATCH } : manifest;
  // ExpertSender sends settings.batchSize (1 by default) an order per request, whatever the engine hands it.
  const perRequest = store === manifest || kind === 'expertsender' ? 1 : BATCH;
  const orders = Math.ceil(limit * SECONDS * perRequest / destinations);
  const target = await startRemoteTarget(kind, { limited: true });
  const dbPath = join(mkdtempSync(join(tmpdir(), 'orderbridge-pacing-')), 'bench.db');
  const database = openDatabase(dbPath, 'async');
  const storage = createStorage(database, systemClock);
  const box = await SecretBox.fromPassphrase('bench');
  const shop = storage.shops.ensure('shopify', 'bench.myshopify.com');
  storage.shops.removeDestination(shop.id, `${shop.id}:local`);
  for (let d = 0; d < destinations; d++) {
    // Each destination its own row with its own settings, all holding the one key; the store's own pace (requestsPerSecond null).
    storage.shops.upsertDestination({
      id: `${shop.id}:${kind}-${d}`, shopId: shop.id, kind, settings: JSON.stringify(target.settings),
      secretSealed: await box.seal(target.secret), enabled: true, requestsPerSecond: null,
    });
  }
  const enqueue = database.sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) storage.writer.apply(null, { kind: 'order', order: benchOrder(i), events: ['order.created'], origin: 'resync' });
  });
  for (let i = 0; i < orders; i += 5000) enqueue(i, Math.min(orders, i + 5000));

  const stamps: number[] = [];
  let throttled = 0;
  // Each request's round trip: the pacer counts its window from answers, so the pace it allows is about limit × 1 s / (1 s + round trip).
  const roundTrips: number[] = [];
  const connections = new StoreConnections();
  const isCounted = counted[kind] ?? (() => true);
  const recording = (send: StoreFetch): StoreFetch => async (url, init) => {
    const counts = isCounted(url);
    const sent = performance.now();
    if (counts) stamps.push(sent);
    const answer = await send(url, init);
    if (counts) roundTrips.push(performance.now() - sent);
    if (answer.status === 429) throttled++;
    return answer;
  };
  const preparer = startPreparationThreads({ databasePath: dbPath, threads: 1 });
  const engine = new DeliveryEngine({
    sqlite: database.sqlite, gate: database.writes, preparer, queue: storage.outbox, shops: storage.shops,
    stores: createStoreCatalog(database.db, STORES.map((s) => (s.kind === kind ? store : s))),
    secrets: box, clock: systemClock, timedFetch: (ms) => recording(connections.fetchFor(ms)),
    options: LANES === null ? {} : { lanesPerDestination: LANES, laneRoundTripMs: 0 },
  });
  // As the server runs it (start, not drain: a drain waits for each round of batches before it claims the next).
  engine.start();
  while (storage.outbox.count() > 0) await new Promise((r) => setTimeout(r, 20));
  await engine.stop();
  const left = storage.outbox.count();
  const dead = storage.deadLetters.count();
  await preparer.close();
  await connections.close();
  database.close();
  rmSync(dirname(dbPath), { recursive: true, force: true });
  await target.close();
  // Requests per second from the first to the last: n requests span n − 1 intervals.
  const rate = (stamps.length - 1) / ((stamps.at(-1)! - stamps[0]!) / 1000);
  return { rate, limit, requests: stamps.length, throttled, left, dead, roundTrips };
}

const line = (label: string, f: Figures) =>
  `${label.padEnd(34)} ${f.rate.toFixed(1).padStart(7)} req/s of ${String(f.limit).padStart(3)}  ${(100 * f.rate / f.limit).toFixed(1).padStart(5)} %   ` +
  `429s ${f.throttled}   requests ${f.requests}   left ${f.left}   dead ${f.dead}   round trip p50 ${percentile(f.roundTrips, 0.5).toFixed(1)} / p99 ${percentile(f.roundTrips, 0.99).toFixed(1)} ms`;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);
console.log(`bench/pacing: each store drained for about ${SECONDS} s at its documented limit (batches of at most ${BATCH}, ${LANES === null ? 'the server\'s lanes' : `${LANES} lanes`} per destination), ${process.version}`);
const results: Array<{ label: string; figures: Figures }> = [];
for (const { kind } of STORES) {
  if (only.length && !only.includes(kind)) continue;
  for (const destinations of [1, 2]) {
    const label = destinations === 1 ? kind : `${kind} (2 destinations, 1 key)`;
    const figures = await drain(kind, destinations);
    results.push({ label, figures });
    console.log(line(label, figures));
  }
}
const missed = results.filter(({ figures: f }) => f.rate < 0.95 * f.limit || f.rate > 1.02 * f.limit || f.throttled > 0 || f.left > 0 || f.dead > 0);
console.log(`targets: >= 95 % of each store's limit (and not over it), zero 429s, all delivered: ${missed.length ? `missed by ${missed.map((m) => m.label).join(', ')}` : 'met'}`);
if (missed.length) process.exitCode = 1;
