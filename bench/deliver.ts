// bench/deliver: N queued orders (100,000 by default) drained by the real delivery engine to each
// store's simulator (in its own process) over loopback, beside the simulator's own ceiling measured in the same run: a
// client that replays exactly the requests the engine sent, with the same concurrency and HTTP client, doing nothing else.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { openDatabase } from '../src/node/database.ts';
import { startCheckpointer } from '../src/node/walDurability.ts';
import { defaultPreparationThreads, startPreparationThreads } from '../src/node/preparationThread.ts';
import { StoreConnections } from '../src/node/storeConnections.ts';
import type { StoreFetch, StoreRequest } from '../src/core/delivery/storeHttp.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { STORES } from '../connectors/registry.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { benchOrder, TARGETS } from './support/deliverTargets.ts';
import { collectGarbage } from './support/fullGc.ts';
import { threadCpuMicros } from './support/threadCpu.ts';
import { startRemoteTarget } from './support/remoteTarget.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
// Voyado takes one order per request plus a job poll (about a minute for 100,000): BENCH_ORDERS_VOYADO runs fewer.
const ordersFor = (name: string) => (name === 'voyado' ? Number(process.env.BENCH_ORDERS_VOYADO ?? ORDERS) : ORDERS);
const LANES = Number(process.env.BENCH_LANES ?? 4);
// As the server picks it (cores − 1, at most 4) unless BENCH_PREPARATION_THREADS says.
const PREPARATION_THREADS = Number(process.env.BENCH_PREPARATION_THREADS ?? defaultPreparationThreads());
const only = process.argv.slice(2);

interface Recorded { url: string; init: StoreRequest }

async function replay(send: StoreFetch, requests: Recorded[], concurrency: number): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const res = await send(r.url, r.init);
      await res.text();
      // 3xx counts as answered: Voyado's finished job redirects to the order, and the client reads that, not follows it.
      if (res.status >= 400) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failed;
}

console.log(`bench/deliver: ${ORDERS} orders per store (voyado ${ordersFor('voyado')}), ${LANES} batches in flight, ${PREPARATION_THREADS} preparation thread(s), ${process.version}`);
const rows: string[] = [];
for (const name of Object.keys(TARGETS)) {
  if (only.length && !only.includes(name)) continue;
  const N = ordersFor(name);
  // The simulator runs in its own process, as a remote store would: the engine does not share its thread.
  const target = await startRemoteTarget(name);
  // As the Node runtime opens it: commits without SQLite's own fsync (delivery settles need none),
  // checkpoints in a worker thread.
  const dbPath = join(mkdtempSync(join(tmpdir(), 'orderbridge-deliver-')), 'bench.db');
  const database = openDatabase(dbPath, 'async');
  const checkpointer = startCheckpointer(dbPath, { gate: database.writes });
  const storage = createStorage(database, systemClock);
  const box = await SecretBox.fromPassphrase('bench');
  const shop = storage.shops.ensure('shopify', 'bench.myshopify.com');
  storage.shops.removeDestination(shop.id, `${shop.id}:local`); // only the store under test
  storage.shops.upsertDestination({
    id: `${shop.id}:${name}`, shopId: shop.id, kind: target.kind, settings: JSON.stringify(target.settings),
    secretSealed: await box.seal(target.secret), enabled: true, requestsPerSecond: 0,
  });
  const enqueue = database.sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) storage.writer.apply(null, { kind: 'order', order: benchOrder(i), events: ['order.created'], origin: 'resync' });
  });
  for (let i = 0; i < N; i += 5000) enqueue(i, Math.min(N, i + 5000));
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)'); // the queue is filled and settled on disk before the clock starts

  const recorded: Recorded[] = [];
  // The replay runs with as many requests in flight as the engine had at most (Voyado follows several orders per batch).
  let inFlight = 0;
  let mostInFlight = 0;
  // The Node runtime's store client, each request recorded on its way.
  const connections = new StoreConnections();
  const recording = (send: StoreFetch): StoreFetch => async (url, init) => {
    recorded.push({ url, init });
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    try {
      return await send(url, init);
    } finally {
      inFlight--;
    }
  };
  // As the Node runtime runs it: stores' parse-map-encode on the preparation thread.
  const preparer = startPreparationThreads({ databasePath: dbPath, threads: PREPARATION_THREADS });
  const engine = new DeliveryEngine({
    sqlite: database.sqlite, gate: database.writes, preparer, queue: storage.outbox, shops: storage.shops, stores: createStoreCatalog(database.db, STORES),
    secrets: box, clock: systemClock, timedFetch: (ms) => recording(connections.fetchFor(ms)), options: { lanesPerDestination: LANES },
  });
  // CPU per order, ours (this process: event loop, preparation and checkpoint threads; the event loop's share apart) and the simulator's:
  // on two cores the sum is what caps the rate.
  collectGarbage();
  const simCpu0 = await target.cpuMicros();
  const ourCpu0 = process.cpuUsage();
  const loopCpu0 = threadCpuMicros();
  const t0 = performance.now();
  await engine.drain();
  const engineSeconds = (performance.now() - t0) / 1000;
  const ourCpu = process.cpuUsage(ourCpu0);
  const ourPerOrder = (ourCpu.user + ourCpu.system) / N;
  const loopCpu1 = threadCpuMicros();
  const loopPerOrder = loopCpu0 === null || loopCpu1 === null ? null : (loopCpu1 - loopCpu0) / N;
  const simPerOrder = ((await target.cpuMicros()) - simCpu0) / N;
  const accepted = await target.accepted();
  const left = storage.outbox.count();
  const dead = storage.deadLetters.count();

  await (target as unknown as { resetAndWait(): Promise<unknown> }).resetAndWait();
  collectGarbage();
  const simCpu1 = await target.cpuMicros();
  const t1 = performance.now();
  const failed = await replay(connections.fetchFor(60_000), recorded, mostInFlight);
  const ceilingSeconds = (performance.now() - t1) / 1000;
  const simCeilingPerOrder = ((await target.cpuMicros()) - simCpu1) / N;
  await preparer.close();
  await connections.close();
  await checkpointer.stop();
  database.close();
  rmSync(dirname(dbPath), { recursive: true, force: true }); // hundreds of MB per store
  await target.close();

  const ours = N / engineSeconds;
  const ceiling = N / ceilingSeconds;
  rows.push(`${name.padEnd(16)} ${ours.toFixed(0).padStart(8)} orders/s   ceiling ${ceiling.toFixed(0).padStart(8)} orders/s   ratio ${(ours / ceiling).toFixed(2)}   ` +
    `requests ${recorded.length} (at most ${mostInFlight} at once)   accepted ${accepted}/${N}   left ${left}   dead ${dead}${failed ? `   replay failures ${failed}` : ''}`);
  rows.push(`${''.padEnd(16)} CPU per order: ours ${ourPerOrder.toFixed(1)} µs${loopPerOrder === null ? '' : ` (event loop ${loopPerOrder.toFixed(1)})`} + simulator ${simPerOrder.toFixed(1)} µs; in the ceiling run the simulator ${simCeilingPerOrder.toFixed(1)} µs`);
  console.log(rows.at(-2));
  console.log(rows.at(-1));
}
// The efficiency figure: CPU per order beside the floor one quiet thread needs (bench/deliverFloor). The rate a store allows is
// bench/pacing's (the ceiling ratio above measured two processes sharing two cores, not us).
const floor = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'deliverFloor.ts')], {
  env: { ...process.env, BENCH_ORDERS: String(Math.min(ORDERS, 20_000)) }, encoding: 'utf8',
});
console.log(`beside the floor (bench/deliverFloor, ${Math.min(ORDERS, 20_000)} orders):`);
for (const l of floor.stdout.split('\n').filter((l) => /^ {2}(map|floor|claim|settle)/.test(l))) console.log(`  ${l.trim()}`);
console.log('targets: Engage >= 20,000 orders/s; each store at its own limit: bench/pacing');
