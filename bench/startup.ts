// bench/startup: from exec to the first /health 200, and the resident memory of the process tree then and once
// settled, for the compiled start (`npm start`: node dist/src/node/main.js) beside a start through tsx as before
// (cache warm, and without its cache: the first start after an install or a change), on an empty database
// and on one holding 100,000 delivered orders. Each start is stopped with SIGTERM before the next.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { benchOrder } from './support/deliverTargets.ts';
import { ROOT } from './support/processes.ts';
import { processTree } from '../test/support/processTree.ts';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const SETTLE_MS = 2_000;

const VARIANTS = [
  { name: 'compiled (npm start)', args: [join(ROOT, 'dist/src/node/main.js')], env: {} },
  { name: 'tsx, cache warm', args: ['--import', 'tsx', join(ROOT, 'src/node/main.ts')], env: {} },
  { name: 'tsx, no cache', args: ['--import', 'tsx', join(ROOT, 'src/node/main.ts')], env: { TSX_DISABLE_CACHE: '1' } },
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resident memory (MB) of a process and every process below it: tsx's esbuild services count too. */
function treeRssMb(root: number): number {
  let kb = 0;
  for (const { pid } of processTree(root)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

interface Start { ms: number; rssMb: number; settledRssMb: number }

async function start(variant: (typeof VARIANTS)[number], databasePath: string): Promise<Start> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(process.execPath, variant.args, {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...variant.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let ms = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${variant.name} exited during start:\n${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) {
        ms = performance.now() - began;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const rssMb = treeRssMb(child.pid!);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const settledRssMb = treeRssMb(child.pid!);
  child.kill('SIGTERM');
  if ((await exited) !== 0) throw new Error(`${variant.name} did not stop cleanly:\n${stderr}`);
  return { ms, rssMb, settledRssMb };
}

/** A database holding `orders` orders, each delivered to the local store (the state a running install is in). */
async function databaseWith(orders: number, path: string): Promise<void> {
  const database = openDatabase(path);
  const storage = createStorage(database, systemClock);
  storage.shops.ensure('shopify', 'bench.myshopify.com');
  const enqueue = database.sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) storage.writer.apply(null, { kind: 'order', order: benchOrder(i), events: ['order.created'], origin: 'resync' });
  });
  for (let i = 0; i < orders; i += 5000) enqueue(i, Math.min(orders, i + 5000));
  database.close();
  if (orders === 0) return;
  // The compiled server delivers them to the local store, then stops.
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/node/main.js')], {
    cwd: ROOT, stdio: 'ignore', env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: path, DELIVERY_POLL_MS: '20' },
  });
  const exited = new Promise((done) => child.once('exit', done));
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json() as Promise<{ outbox: { count: number } }>, () => null);
    if (health && health.outbox.count === 0) break;
  }
  child.kill('SIGTERM');
  await exited;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');
const dir = mkdtempSync(join(tmpdir(), 'orderbridge-startup-'));
try {
  const databases = [
    { name: 'empty database', path: join(dir, 'empty.db'), orders: 0 },
    { name: `${ORDERS.toLocaleString('en')} orders`, path: join(dir, 'full.db'), orders: ORDERS },
  ];
  for (const d of databases) await databaseWith(d.orders, d.path);
  const results = new Map<string, Start[]>();
  // Warm-up: one start of each (it also fills tsx's cache for the "cache warm" rows), not counted.
  for (const v of VARIANTS) await start(v, databases[0]!.path);
  // Round by round, each variant in turn, so a noisy minute touches them all alike.
  for (let round = 0; round < STARTS; round++) {
    for (const d of databases) {
      for (const v of VARIANTS) {
        const key = `${v.name}|${d.name}`;
        results.set(key, [...(results.get(key) ?? []), await start(v, d.path)]);
      }
    }
  }
  console.log(`bench/startup: exec → first /health 200; RSS of the process tree then → ${SETTLE_MS / 1000} s later; median (min–max) of ${STARTS} starts, ${process.version}`);
  for (const d of databases) {
    console.log(d.name);
    for (const v of VARIANTS) {
      const runs = results.get(`${v.name}|${d.name}`)!;
      console.log(`  ${v.name.padEnd(22)} ${spread(runs.map((r) => r.ms)).padStart(18)} ms   RSS ${median(runs.map((r) => r.rssMb)).toFixed(0)} → ${median(runs.map((r) => r.settledRssMb)).toFixed(0)} MB`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
