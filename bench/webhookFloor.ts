// bench/webhookFloor: is webhook p99 < 20 ms at 1,500/s within this machine's reach, and how far is orderbridge from
// it? By turns in one run (the machine's speed drifts): bare Hono (reads the body), the floor server
// (bench/support/floorServer.ts: the least a durable receiver does, none of our code) and orderbridge, each over an
// empty database and over BENCH_ORDERS stored orders, the same open loop of signed ~5 KB webhooks; latency, and the
// server's CPU a webhook (every thread / its event loop) which a busy moment inflates less than a latency.
// The machine's cores are shared with the load generator (this process): its CPU a webhook and how busy the whole machine
// was show how much of the p99 is queueing for a core. BENCH_CASES=<part,…>: only the cases whose names hold one of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillDatabase } from './support/bigDatabase.ts';
import { openLoop, type OpenLoopResult } from './support/openLoop.ts';
import { startTs, type Child } from './support/processes.ts';
import { benchOrderTemplate, signedRequest } from './support/shopifyLoad.ts';
import { machineCpuTicks, processCpuMicros } from './support/threadCpu.ts';
import { BENCH_SECRET, BENCH_TOKEN, benchNumber, webhookLoad } from './support/benchSettings.ts';

const ORDERS = benchNumber('BENCH_ORDERS', 1_000_000);
const ROUNDS = benchNumber('BENCH_ROUNDS', 2);
const { rate, seconds } = webhookLoad();
const SHOP = 'bench-shop.myshopify.com';
const load = () => loadavg()[0]!.toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-floor-'));
const filled = { floor: join(dir, 'floor-full.db'), minimal: join(dir, 'minimal-full.db'), orderbridge: join(dir, 'ob-full.db') };
const fillStarted = performance.now();
if (ORDERS > 0) {
  fillDatabase(filled.orderbridge, ORDERS, ['other-shop.myshopify.com', 'second-shop.myshopify.com']);
  // The floor server fills its own file on its first start (FLOOR_FILL), outside any measured window.
  for (const path of [filled.floor, filled.minimal]) {
    const first = await startTs('bench/support/floorServer.ts', { DATABASE_PATH: path, SHOPIFY_API_SECRET: BENCH_SECRET, FLOOR_FILL: String(ORDERS) });
    await first.stop();
  }
}
const template = benchOrderTemplate();
let sequence = 0;
const fire = (url: string, secondsNow: number, onStart?: () => void) => openLoop(`${url}/webhooks/shopify`, {
  rate, seconds: secondsNow, connections: 32, next: () => signedRequest(template, BENCH_SECRET, sequence++, SHOP), ...(onStart ? { onStart } : {}),
});

interface Case { name: string; entry: string; env: (run: number) => Record<string, string> }
const fresh = (run: number, name: string) => join(dir, `${name}-${run}.db`);
const allCases: Case[] = [
  { name: 'bare Hono (reads the body, 200)', entry: 'bench/support/bareHono.ts', env: () => ({}) },
  { name: 'floor server, empty database', entry: 'bench/support/floorServer.ts', env: (r) => ({ DATABASE_PATH: fresh(r, 'floor') }) },
  { name: 'floor server minimal, empty', entry: 'bench/support/floorServer.ts', env: (r) => ({ DATABASE_PATH: fresh(r, 'minimal'), FLOOR_MINIMAL: '1' }) },
  { name: 'orderbridge, empty database', entry: 'src/node/main.ts', env: (r) => ({ DATABASE_PATH: fresh(r, 'ob') }) },
  ...(ORDERS > 0 ? [
    { name: `floor server, ${ORDERS} orders`, entry: 'bench/support/floorServer.ts', env: () => ({ DATABASE_PATH: filled.floor }) },
    { name: `floor server minimal, ${ORDERS} orders`, entry: 'bench/support/floorServer.ts', env: () => ({ DATABASE_PATH: filled.minimal, FLOOR_MINIMAL: '1' }) },
    { name: `orderbridge, ${ORDERS} orders`, entry: 'src/node/main.ts', env: () => ({ DATABASE_PATH: filled.orderbridge }) },
  ] : []),
];
const cases = allCases.filter((c) => !process.env.BENCH_CASES || process.env.BENCH_CASES.split(',').some((part) => c.name.includes(part)));

console.log(`bench/webhookFloor: signed ~5 KB orders/create webhooks at ${rate}/s for ${seconds} s (open loop, 32 connections), ${ROUNDS} rounds by turns, ${process.version}; `
  + `${ORDERS} orders filled in ${((performance.now() - fillStarted) / 1000).toFixed(0)} s; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`${'case'.padEnd(40)}${'p50'.padStart(7)}${'p99'.padStart(7)}${'max'.padStart(7)}  ${'answered'.padEnd(12)}${'server CPU µs a webhook (all / event loop)'.padEnd(45)}`
  + `${'generator µs'.padStart(12)}${'machine busy'.padStart(14)}  load`);
const p99s = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const server: Child = await startTs(c.entry, { PORT: '0', HOST: '127.0.0.1', SHOPIFY_API_SECRET: BENCH_SECRET, ADMIN_TOKEN: BENCH_TOKEN, ...c.env(round) });
    const pid = server.child.pid!;
    await fire(server.url, 3); // warm-up: the JIT, the shop's first webhook, the files' first pages
    const before = [processCpuMicros(pid) ?? NaN, processCpuMicros(pid, pid) ?? NaN];
    // The generator's CPU and the machine's from the run's clock on (the requests are signed and encoded before it).
    let generatorBefore = process.cpuUsage();
    let machineBefore = machineCpuTicks();
    const r: OpenLoopResult = await fire(server.url, seconds, () => {
      generatorBefore = process.cpuUsage();
      machineBefore = machineCpuTicks();
    });
    const machineAfter = machineCpuTicks();
    const generatorCpu = process.cpuUsage(generatorBefore);
    const all = ((processCpuMicros(pid) ?? NaN) - before[0]!) / r.ok;
    const loop = ((processCpuMicros(pid, pid) ?? NaN) - before[1]!) / r.ok;
    const generator = (generatorCpu.user + generatorCpu.system) / r.ok;
    const busy = machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total) : NaN;
    await server.stop();
    p99s.set(c.name, [...(p99s.get(c.name) ?? []), r.p99]);
    console.log(`${c.name.padEnd(40)}${r.p50.toFixed(0).padStart(7)}${r.p99.toFixed(0).padStart(7)}${r.max.toFixed(0).padStart(7)}  ${`${r.ok}/${r.ok + r.nonOk + r.errors}`.padEnd(12)}`
      + `${`${all.toFixed(0)} / ${loop.toFixed(0)}`.padEnd(45)}${generator.toFixed(0).padStart(12)}${`${(busy * 100).toFixed(0)} %`.padStart(14)}  ${load()}`);
  }
}
rmSync(dir, { recursive: true, force: true });
const best = (name: string) => Math.min(...(p99s.get(name) ?? [NaN]));
console.log(`best p99 of the rounds: ${cases.map((c) => `${c.name} ${best(c.name).toFixed(0)} ms`).join('; ')}; target p99 < 20 ms`);
