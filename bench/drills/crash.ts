// Crash drill: signed Shopify webhooks (creates, then updates of the same orders) while orderbridge is killed with SIGKILL at
// random moments and restarted on the same file each time. At the end every acknowledged webhook's newest version is at the
// store (Engage's simulator, which overwrites by order id: a resend is harmless, a stale write is not).
import Database from 'better-sqlite3';
import { ENGAGE_SIM_DEFAULT_TOKEN, startEngageSimulator } from '../../connectors/stores/engage/simulator/index.ts';
import { shopifyDocsOrderBody } from '../../test/support/fixtures.ts';
import { launchOrderbridge, removeCreatedDirectories, type OrderbridgeProcess } from '../../test/support/orderbridgeLauncher.ts';
import { eventually, sendShopifyWebhook } from '../../test/support/shopifySender.ts';
import { figure, sleep, type DrillResult } from './drill.ts';

export interface CrashDrillOptions {
  kills: number;
  orders: number;
  /** Webhooks in flight at once. */
  senders: number;
  /** Each run between kills lasts a random time in this range (ms). */
  runMs: [number, number];
  seed?: number;
}

const SECRET = 'crash-drill-secret';
const BASE = Date.parse('2008-01-10T16:00:00Z');
const updatedAt = (version: number) => new Date(BASE + version * 60_000).toISOString();
/** The version Engage holds, read back from its date_modified_gmt (version n: n minutes after BASE). */
const versionOf = (modifiedGmt: string) => Math.round((Date.parse(modifiedGmt) - BASE) / 60_000);

export async function crashDrill(opts: CrashDrillOptions): Promise<DrillResult> {
  let seed = opts.seed ?? 23;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 0x100000000);
  const sim = await startEngageSimulator({ maxOrderAgeDays: 0, requestsPerSecond: null });
  // Every version each order took at the store, in order, to count stale overwrites (a newer one replaced by an older one).
  const taken = new Map<string, number[]>();
  const set = sim.orders.set.bind(sim.orders);
  sim.orders.set = (id, order) => {
    taken.set(id, [...(taken.get(id) ?? []), versionOf(order.date_modified_gmt ?? "")]);
    return set(id, order);
  };
  const env = {
    SHOPIFY_API_SECRET: SECRET, ENCRYPTION_KEY: 'crash-drill-key', DELIVERY_POLL_MS: '20', DELIVERY_REASSERT_AFTER_MS: '2000',
    DELIVERY_BACKOFF_BASE_MS: '20', DELIVERY_BACKOFF_MAX_MS: '200', DELIVERY_MAX_ATTEMPTS: '1000',
    DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: JSON.stringify({ baseUrl: sim.url, maxOrderAgeDays: 0 }), DESTINATION_SECRET: ENGAGE_SIM_DEFAULT_TOKEN,
  };
  const ids = Array.from({ length: opts.orders }, (_, i) => String(820982911946200000n + BigInt(i)));
  const sent = new Map<string, number>();
  const acknowledged = new Map<string, number>();
  let acks = 0;
  let refused = 0;
  let process: OrderbridgeProcess = await launchOrderbridge(env);
  const databasePath = process.databasePath;
  let loading = true;
  const sender = async () => {
    while (loading) {
      const id = ids[Math.floor(random() * ids.length)]!;
      const version = (sent.get(id) ?? 0) + 1;
      sent.set(id, version);
      try {
        const r = await sendShopifyWebhook(process.url, {
          topic: version === 1 ? 'orders/create' : 'orders/updated', body: shopifyDocsOrderBody({ id, updatedAt: updatedAt(version) }), secret: SECRET,
        });
        await r.arrayBuffer();
        if (r.status === 200) {
          acks++;
          acknowledged.set(id, Math.max(acknowledged.get(id) ?? 0, version));
        } else refused++;
      } catch (e) {
        if (globalThis.process.env.DRILL_DEBUG) console.error(e);
        // Killed mid-request: not acknowledged, so the platform would send it again; this drill sends the next version instead.
        await sleep(5);
      }
    }
  };
  try {
    for (let kill = 0; kill <= opts.kills; kill++) {
      loading = true;
      const senders = Array.from({ length: opts.senders }, sender);
      await sleep(opts.runMs[0] + random() * (opts.runMs[1] - opts.runMs[0]));
      if (kill < opts.kills) {
        await process.kill();
        loading = false;
        await Promise.all(senders);
        process = await launchOrderbridge(env, databasePath);
      } else {
        loading = false;
        await Promise.all(senders);
      }
    }
    // Everything queued goes, the resends after unanswered writes included.
    await eventually(async () => (outboxRows(databasePath) === 0 ? true : undefined), 120_000, 'an empty outbox');
    await sleep(300);
    const held = (id: string) => { const o = sim.orders.get(id); return o ? versionOf(o.date_modified_gmt ?? "") : 0; };
    const lost = [...acknowledged].filter(([id, version]) => held(id) < version).length;
    const delivered = [...acknowledged].filter(([id, version]) => held(id) >= version).length;
    const staleAtEnd = [...acknowledged].filter(([id]) => held(id) < (taken.get(id) ?? []).reduce((a, b) => Math.max(a, b), 0)).length;
    const staleOverwrites = [...taken.values()].reduce((n, versions) => n + versions.filter((v, i) => i > 0 && v < Math.max(...versions.slice(0, i))).length, 0);
    const dead = deadLetters(databasePath);
    return {
      drill: 'crash',
      figures: [
        figure('kill -9 and restarts', opts.kills, `>= ${opts.kills}`, true),
        figure('webhooks acknowledged', acks, '> 0', acks > 0),
        figure('orders acknowledged', acknowledged.size, '> 0', acknowledged.size > 0),
        figure('orders at their newest acknowledged version', delivered, `${acknowledged.size}`, delivered === acknowledged.size),
        figure('lost', lost, '0', lost === 0),
        figure('stale at the end', staleAtEnd, '0', staleAtEnd === 0),
        // A held write landing after a newer one, healed by the resend (DELIVERY_REASSERT_AFTER_MS): reported, not a failure.
        figure('stale overwrites healed', staleOverwrites, 'healed by the end', staleAtEnd === 0),
        figure('dead letters', dead, '0', dead === 0),
        figure('refused (non-200) answers', refused, 'reported', true),
      ],
    };
  } finally {
    loading = false;
    if (process.child.exitCode === null && process.child.signalCode === null) await process.stop();
    await sim.close();
    removeCreatedDirectories();
  }
}

function outboxRows(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function deadLetters(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
