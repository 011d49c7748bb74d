// Soak drill: signed webhooks at a fixed rate (open loop, no coordinated omission) for a long time into a spawned orderbridge that
// delivers to Engage's simulator. Every 30 s: ack p50/p99 of that slice, the server's RSS (no growth), the WAL's size, the outbox
// backlog. At the end: zero losses (every acknowledged order stored and accepted by the store) and how long the backlog took to go.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ENGAGE_SIM_DEFAULT_TOKEN, startEngageSimulator } from '../../connectors/stores/engage/simulator/index.ts';
import { launchOrderbridge, removeCreatedDirectories } from '../../test/support/orderbridgeLauncher.ts';
import { eventually } from '../../test/support/shopifySender.ts';
import { openLoop } from '../support/openLoop.ts';
import { startTs } from '../support/processes.ts';
import { benchOrderTemplate, signedRequest } from '../support/shopifyLoad.ts';
import { figure, type DrillResult } from './drill.ts';

const SECRET = 'soak-secret';
const SHOP = 'soak-shop.myshopify.com';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sizeMb = (path: string) => (existsSync(path) ? statSync(path).size / 1024 / 1024 : 0);
function count(path: string, sql: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export interface SoakSample { atS: number; p50: number; p99: number; rssMb: number; walMb: number; backlog: number }

/**
 * What this machine gives at `rate` before orderbridge does anything: a bare Hono server that only reads the body and
 * answers 200 (bench/support/bareHono.ts), fed by the same open loop, on the same cores. Below the rate, the soak's rate
 * is a limit of the machine (and of the generator sharing it), not of orderbridge.
 */
async function machineCeiling(rate: number, seconds: number): Promise<{ achieved: number; p99: number }> {
  const bare = await startTs('bench/support/bareHono.ts');
  try {
    const template = benchOrderTemplate();
    let sequence = 0;
    const r = await openLoop(`${bare.url}/webhooks/shopify`, { rate, seconds, connections: 64, next: () => signedRequest(template, SECRET, sequence++, SHOP) });
    return { achieved: r.achieved, p99: r.p99 };
  } finally {
    await bare.stop();
  }
}

export async function soakDrill(opts: { rate: number; seconds: number; sliceSeconds?: number; ceilingSeconds?: number; log?: (line: string) => void }): Promise<DrillResult & { samples: SoakSample[] }> {
  const slice = opts.sliceSeconds ?? 30;
  const ceiling = opts.ceilingSeconds ? await machineCeiling(opts.rate, opts.ceilingSeconds) : null;
  if (ceiling) opts.log?.(`  bare Hono, same open loop at ${opts.rate}/s for ${opts.ceilingSeconds} s: achieved ${ceiling.achieved.toFixed(0)}/s, p99 ${ceiling.p99.toFixed(1)} ms`);
  const sim = await startEngageSimulator({ maxOrderAgeDays: 0, requestsPerSecond: null, retain: false });
  const server = await launchOrderbridge({
    SHOPIFY_API_SECRET: SECRET, ENCRYPTION_KEY: 'soak-key', DELIVERY_POLL_MS: '50',
    DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: JSON.stringify({ baseUrl: sim.url, maxOrderAgeDays: 0 }), DESTINATION_SECRET: ENGAGE_SIM_DEFAULT_TOKEN,
  });
  const pid = server.child.pid!;
  const template = benchOrderTemplate();
  let sequence = 0;
  let ok = 0;
  let refused = 0;
  let errors = 0;
  const samples: SoakSample[] = [];
  try {
    for (let at = 0; at < opts.seconds; at += slice) {
      const seconds = Math.min(slice, opts.seconds - at);
      const r = await openLoop(`${server.url}/webhooks/shopify`, { rate: opts.rate, seconds, connections: 64, next: () => signedRequest(template, SECRET, sequence++, SHOP) });
      ok += r.ok;
      refused += r.nonOk;
      errors += r.errors;
      const s: SoakSample = { atS: at + seconds, p50: r.p50, p99: r.p99, rssMb: rssMb(pid), walMb: sizeMb(`${server.databasePath}-wal`), backlog: count(server.databasePath, 'SELECT count(*) AS n FROM outbox') };
      samples.push(s);
      opts.log?.(`  ${String(s.atS).padStart(4)} s  ack p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  achieved ${r.achieved.toFixed(0)}/s  RSS ${s.rssMb.toFixed(0)} MB  WAL ${s.walMb.toFixed(1)} MB  backlog ${s.backlog}`);
    }
    const t0 = performance.now();
    await eventually(async () => (count(server.databasePath, 'SELECT count(*) AS n FROM outbox') === 0 ? true : undefined), 600_000, 'the backlog delivered');
    const drainS = (performance.now() - t0) / 1000;
    const stored = count(server.databasePath, 'SELECT count(*) AS n FROM orders');
    const accepted = sim.stats.accepted;
    const lost = Math.max(0, ok - Math.min(stored, accepted));
    // RSS growth: the last third's mean against the second third's (the first warms up caches and the JIT).
    const third = Math.max(1, Math.floor(samples.length / 3));
    const mean = (xs: SoakSample[]) => xs.reduce((a, s) => a + s.rssMb, 0) / Math.max(1, xs.length);
    const middle = mean(samples.slice(third, 2 * third));
    const last = mean(samples.slice(-third));
    const growth = samples.length >= 3 ? (last - middle) / middle : 0;
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const p50 = sorted(samples.map((s) => s.p50))[Math.floor(samples.length / 2)]!;
    const p99 = sorted(samples.map((s) => s.p99)).at(-1)!;
    const maxBacklog = Math.max(...samples.map((s) => s.backlog));
    return {
      drill: 'soak',
      samples,
      figures: [
        ...(ceiling ? [figure('this machine\'s ceiling: bare Hono, same generator and cores', `${ceiling.achieved.toFixed(0)}/s of ${opts.rate}/s offered, p99 ${ceiling.p99.toFixed(1)} ms`, 'reported (below the rate: a machine limit)', true)] : []),
        figure('webhooks offered / acknowledged', `${sequence} / ${ok} at ${opts.rate}/s for ${opts.seconds} s`, 'all acknowledged', ok === sequence && refused === 0 && errors === 0),
        figure('ack p50 (median of slices)', `${p50.toFixed(1)} ms`, 'reported', true),
        figure('ack p99 (worst slice)', `${p99.toFixed(1)} ms`, 'reported', true),
        figure('delivery backlog (worst sample) / drained after the load in', `${maxBacklog} rows / ${drainS.toFixed(1)} s`, 'drains', true),
        figure('RSS every 30 s', samples.map((s) => s.rssMb.toFixed(0)).join(' ') + ' MB', 'last third within 10 % of the middle', growth <= 0.1),
        figure('WAL size at most', `${Math.max(...samples.map((s) => s.walMb)).toFixed(1)} MB`, 'bounded (checkpointed)', true),
        figure('lost (acknowledged, not stored or not at the store)', lost, '0', lost === 0),
      ],
    };
  } finally {
    await server.stop();
    await sim.close();
    removeCreatedDirectories();
  }
}
