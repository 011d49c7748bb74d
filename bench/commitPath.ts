// bench/commitPath: what one webhook costs once translated, over an empty database and a big one, in one process and
// without HTTP, so a busy machine blurs it less than a latency does. Webhooks' changes arrive at BENCH_RATE (1,500/s)
// through the ingest queue (group commit, the WAL synced before each answer), the delivery engine delivers them to the
// shop's local store, and the checkpointer runs, as in the server. Figures: the event loop's CPU per webhook (from
// /proc), the µs per webhook the commits, claims, hasDue probes, local store writes and settles held it, the bytes it
// wrote per webhook (the WAL's frames, by transaction), and the answer's latency (due to WAL synced). Cases (BENCH_CASES):
// `empty`; `orders`, BENCH_ORDERS (1,000,000) stored in two other shops; `backfilled`, the same database after a
// backfill job queued one shop's half million for a paused destination (a backlog as a backfill or a resync leaves it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES } from '../connectors/registry.ts';
import { portable, translateShopify } from '../src/app/webhooks/shopify/translation.ts';
import { systemClock } from '../src/core/clock.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { OutboxQueue } from '../src/core/delivery/outboxQueue.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import type { Change, Receipt } from '../src/core/pipeline/change.ts';
import { IngestQueue } from '../src/core/pipeline/ingestQueue.ts';
import { BACKFILL } from '../src/core/delivery/backfill.ts';
import { JobRunner } from '../src/core/jobs/jobRunner.ts';
import { jobKinds } from '../src/core/jobs/kinds.ts';
import { createStorage } from '../src/core/storage.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { openDatabase } from '../src/node/database.ts';
import { startCheckpointer, WalDurability } from '../src/node/walDurability.ts';
import { fillDatabase } from './support/bigDatabase.ts';
import { benchOrderTemplate } from './support/shopifyLoad.ts';
import { threadCpuMicros } from './support/threadCpu.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 1500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CASES = (process.env.BENCH_CASES ?? 'empty,orders,backfilled').split(',');
const SHOP = 'bench-shop.myshopify.com';
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * Bytes this thread handed to write(2) so far: the main connection's WAL frames, and a savepoint journal's temp file were one
 * to spill (the checkpointer writes on its own thread).
 */
function writtenBytes(): number {
  const io = readFileSync(`/proc/self/task/${process.pid}/io`, 'utf8');
  return Number(/wchar: (\d+)/.exec(io)?.[1] ?? NaN);
}

/** Milliseconds spent in each wrapped method, summed. */
const spent = { commit: 0, claim: 0, hasDue: 0, store: 0, settle: 0 };
/** WAL bytes written inside each wrapped method, summed, and how many times each ran. */
const wrote = { commit: 0, claim: 0, hasDue: 0, store: 0, settle: 0 };
const calls = { commit: 0, claim: 0, hasDue: 0, store: 0, settle: 0 };
function timed<T extends object>(target: T, name: keyof T & string, into: keyof typeof spent): void {
  const original = target[name] as (...args: unknown[]) => unknown;
  (target as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const before = into === 'hasDue' || into === 'claim' ? 0 : writtenBytes();
    try {
      return original.apply(this, args);
    } finally {
      spent[into] += performance.now() - started;
      if (before) wrote[into] += writtenBytes() - before;
      calls[into]++;
    }
  };
}
timed(IngestQueue.prototype, 'flush', 'commit');
timed(OutboxQueue.prototype, 'claim', 'claim');
timed(OutboxQueue.prototype, 'hasDue', 'hasDue');

/** The webhooks' changes, translated before the clock starts (the server does that on a thread of its own). */
function changes(count: number, from: number): Array<{ receipt: Receipt; change: Change }> {
  const template = benchOrderTemplate();
  const out = [];
  for (let n = from; n < from + count; n++) {
    const body = template.replaceAll('__ORDER_ID__', String(6_500_000_000_000 + n));
    const translation = portable(translateShopify({ topic: 'orders/create', body, shop: SHOP, triggeredAt: Date.now() }));
    if (!translation || !('change' in translation)) throw new Error('the bench order did not translate');
    out.push({ receipt: { id: `shopify:${SHOP}:bench-${n}`, shopId: `shopify:${SHOP}`, topic: 'orders/create', eventId: `bench-event-${n}` }, change: translation.change });
  }
  return out;
}

const HELD = 'held-shop.myshopify.com';
let sent = 0;

/** One case over the database at `path` (the big cases share one: the backfill adds its backlog to the orders' database). */
async function runCase(name: string, path: string): Promise<void> {
  const held = HELD;
  const database = openDatabase(path, 'async');
  if (name === 'backfilled') {
    // A store added after the orders, paused, and the backfill job queueing the held shop's orders for it, as the server runs it.
    const storage = createStorage(database, systemClock);
    storage.shops.upsertDestination({ id: 'later', shopId: `shopify:${held}`, kind: 'engage', settings: '{}', secretSealed: null, enabled: false });
    const wal = new WalDurability(`${path}-wal`);
    const checkpointer = startCheckpointer(path, { gate: database.writes });
    storage.jobs.create({ kind: BACKFILL, shopId: `shopify:${held}`, destinations: ['later'] });
    const started = performance.now();
    await new JobRunner({ sqlite: database.sqlite, book: storage.jobs, kinds: jobKinds(storage), clock: systemClock, gate: database.writes, options: { share: 1 } }).drain();
    console.log(`  (backfill queued ${storage.outbox.countUpTo(10_000_000)} rows in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    await checkpointer.stop();
    wal.close();
  }
  const wal = new WalDurability(`${path}-wal`);
  const checkpointer = startCheckpointer(path, { gate: database.writes });
  const storage = createStorage(database, systemClock);
  storage.ingest.durable = () => wal.flush();
  const stores = createStoreCatalog(database.db, STORES);
  const local = stores.get('local')!;
  const deliver = local.deliver.bind(local);
  local.deliver = async (items, ctx) => {
    const started = performance.now();
    const before = writtenBytes();
    try {
      return await deliver(items, ctx);
    } finally {
      spent.store += performance.now() - started;
      wrote.store += writtenBytes() - before;
      calls.store++;
    }
  };
  const engine = new DeliveryEngine({
    sqlite: database.sqlite, gate: database.writes, queue: storage.outbox, shops: storage.shops, stores, secrets: await SecretBox.fromPassphrase('bench-key'), clock: systemClock,
  });
  // The settling transaction's own function is frozen: the engine's field is handed a timed stand-in.
  const inner = engine as unknown as { settleAll: { immediate: (...a: unknown[]) => unknown } };
  const settleAll = inner.settleAll;
  inner.settleAll = { immediate: (...args) => settleAll.immediate(...args) };
  timed(inner.settleAll, 'immediate', 'settle');
  storage.onCommit = () => engine.nudge();
  storage.shops.ensure('shopify', SHOP);
  engine.start();

  // Open loop: every millisecond, the webhooks due by then (as HTTP requests arrive: one or two at a time at 1,500/s);
  // latency counted from when each was due.
  const send = async (batch: Array<{ receipt: Receipt; change: Change }>) => {
    const latencies: number[] = [];
    let i = 0;
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(batch.length, Math.floor(((performance.now() - start) * RATE) / 1000));
        for (; i < due; i++) {
          const { receipt, change } = batch[i]!;
          const dueAt = start + (i * 1000) / RATE;
          void storage.ingest.submit(receipt, change).then(() => {
            latencies.push(performance.now() - dueAt);
            if (latencies.length === batch.length) resolve();
          });
        }
        if (i >= batch.length) clearInterval(timer);
      }, 1);
    });
    return latencies.sort((a, b) => a - b);
  };
  const count = Math.round(RATE * SECONDS);
  const warm = changes(Math.round(RATE * 2), sent);
  const measured = changes(count, (sent += warm.length));
  sent += count;
  await send(warm);
  await engine.drain();
  for (const k of Object.keys(spent) as Array<keyof typeof spent>) spent[k] = wrote[k] = calls[k] = 0;
  const cpuBefore = threadCpuMicros() ?? 0;
  const writtenBefore = writtenBytes();
  const started = performance.now();
  const latencies = await send(measured);
  await engine.drain();
  const wall = performance.now() - started;
  const cpu = ((threadCpuMicros() ?? 0) - cpuBefore) / 1000;
  const writtenKb = (writtenBytes() - writtenBefore) / 1024 / count;
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(1);
  const per = (ms: number) => ((ms / count) * 1000).toFixed(0).padStart(5);
  console.log(`${name.padEnd(8)} ${per(cpu)} µs CPU/webhook | µs per webhook: commit ${per(spent.commit)}, claim ${per(spent.claim)}, hasDue ${per(spent.hasDue)}, `
    + `local store ${per(spent.store)}, settle ${per(spent.settle)} | written ${writtenKb.toFixed(1)} KB/webhook | answer p50 ${pct(0.5)} p99 ${pct(0.99)} ms | ${(count / (wall / 1000)).toFixed(0)}/s | load ${load()}`);
  const kb = (k: keyof typeof spent) => `${(wrote[k] / 1024 / count).toFixed(1)} KB in ${calls[k]} (${(wrote[k] / 1024 / Math.max(1, calls[k])).toFixed(0)} KB each)`;
  console.log(`         written a webhook: commits ${kb('commit')}, local store ${kb('store')}, settles ${kb('settle')}`);
  await engine.stop();
  await checkpointer.stop();
  wal.close();
  database.close();
}

console.log(`bench/commitPath: ${RATE} webhooks/s for ${SECONDS} s per case, in-process (no HTTP, translated beforehand); ${ORDERS} orders; ${process.version}; load average ${load()}`);
const dirs: string[] = [];
let big: string | null = null;
for (const name of CASES) {
  const dir = mkdtempSync(join(tmpdir(), 'orderbridge-commit-'));
  dirs.push(dir);
  let path = join(dir, 'bench.db');
  if (name !== 'empty' && big === null) fillDatabase((big = path), ORDERS, [HELD, 'other-shop.myshopify.com']);
  if (name !== 'empty') path = big!;
  await runCase(name, path);
}
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
