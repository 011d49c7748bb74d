// orderbridge killed (kill -9) while a store holds one of its writes: after the restart the store may apply that
// stale write late, after a newer version, and nothing answered for it. Where a resend overwrites (Engage), the
// newest version goes once more DELIVERY_REASSERT_AFTER_MS later, so the store ends at the newest version.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HeldWrites } from '../connectors/simulator-kit/index.ts';
import { ENGAGE_SIM_DEFAULT_TOKEN, startEngageSimulator, type RunningEngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { query } from './support/database.ts';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';
import { THIRTY_PERCENT } from './stores/faultRun.ts';

const SECRET = 'crash-in-flight-secret';
/** Long enough that the tests let the held writes go before any resend, even on a loaded machine. */
const REASSERT_AFTER_MS = 5_000;
/** Longer: the held orders' last versions go out through the faults (up to 15 s) before the held writes are let go. */
const FAULTY_REASSERT_AFTER_MS = 20_000;

let engage: RunningEngageSimulator | undefined;
const running: OrderbridgeProcess[] = [];
let held: HeldWrites | undefined;
afterEach(async () => {
  held?.release();
  for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
  await engage?.close();
  engage = undefined;
});
afterAll(async () => {
  for (const p of running) await p.stop();
});

/** A held write must land within DELIVERY_REASSERT_AFTER_MS of the resend that follows it: the tests release theirs sooner. */
function env(url: string, reassertAfterMs: number): Record<string, string> {
  return {
    SHOPIFY_API_SECRET: SECRET, ENCRYPTION_KEY: 'crash-in-flight-key', DELIVERY_POLL_MS: '20', DELIVERY_REASSERT_AFTER_MS: String(reassertAfterMs),
    DELIVERY_BACKOFF_BASE_MS: '20', DELIVERY_BACKOFF_MAX_MS: '200', DELIVERY_MAX_ATTEMPTS: '200',
    DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: JSON.stringify({ baseUrl: url, maxOrderAgeDays: 0 }), DESTINATION_SECRET: ENGAGE_SIM_DEFAULT_TOKEN,
  };
}

async function start(url: string, databasePath?: string, reassertAfterMs = REASSERT_AFTER_MS): Promise<OrderbridgeProcess> {
  const p = await startOrderbridge(env(url, reassertAfterMs), databasePath);
  running.push(p);
  return p;
}

/** Version n of the order: its updated_at n minutes after the documented one, as Engage's date_modified_gmt shows. */
const updatedAt = (version: number) => new Date(Date.parse('2008-01-10T16:00:00Z') + version * 60_000).toISOString();
const modified = (version: number) => `${updatedAt(version).slice(0, 19)}+00:00`;

async function sendVersion(p: OrderbridgeProcess, id: string, version: number): Promise<void> {
  const r = await sendShopifyWebhook(p.url, {
    topic: version === 1 ? 'orders/create' : 'orders/updated', body: shopifyDocsOrderBody({ id, updatedAt: updatedAt(version) }), secret: SECRET,
  });
  expect(r.status).toBe(200);
}

/** Outbox rows due now (a resend scheduled for later is not). */
const dueRows = (p: OrderbridgeProcess) => query<{ n: number }>(p.databasePath, 'SELECT count(*) AS n FROM outbox WHERE next_attempt_at <= ?', Date.now())[0]!.n;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a crash while the store holds a write', () => {
  it('the store ends at the newest version, though the held stale write lands after it', async () => {
    engage = await startEngageSimulator({ maxOrderAgeDays: 0 });
    const sim = engage;
    const id = '820982911946155001';
    held = sim.faults.holdWrites(1);
    const first = await start(sim.url);
    await sendVersion(first, id, 1);
    await eventually(async () => (held!.waiting === 1 ? true : undefined), 10_000, 'Engage to hold v1');

    await first.kill();
    running.splice(running.indexOf(first), 1);
    const second = await start(sim.url, first.databasePath);
    // v1, never settled, goes again (and is answered); then v2 arrives and goes too, at once.
    await eventually(async () => (sim.stats.accepted === 1 && dueRows(second) === 0 ? true : undefined), 10_000, 'v1 sent again');
    expect(sim.orders.get(id)?.date_modified_gmt).toBe(modified(1));
    await sendVersion(second, id, 2);
    await eventually(async () => (sim.orders.get(id)?.date_modified_gmt === modified(2) ? true : undefined), 10_000, 'v2 at Engage');
    // The held v1 lands now: the store is back at v1, and nothing answered for that write.
    held.release();
    await eventually(async () => (sim.orders.get(id)?.date_modified_gmt === modified(1) ? true : undefined), 5_000, 'the late v1 applied');

    await eventually(async () => (sim.orders.get(id)?.date_modified_gmt === modified(2) ? true : undefined), REASSERT_AFTER_MS + 8_000, 'v2 resent');
    await eventually(async () => (query(second.databasePath, 'SELECT 1 FROM outbox').length === 0 ? true : undefined), 10_000, 'an empty outbox');
    await sleep(300);
    expect(sim.orders.get(id)?.date_modified_gmt).toBe(modified(2));
    expect(query(second.databasePath, 'SELECT count(*) AS n FROM dead_letters')).toEqual([{ n: 0 }]);
  }, 90_000);

  it('through 30 % failures and a kill -9 with writes held, every order ends at its newest version', async () => {
    engage = await startEngageSimulator({ maxOrderAgeDays: 0, seed: 18 });
    const sim = engage;
    sim.faults.set(THIRTY_PERCENT);
    const ids = Array.from({ length: 30 }, (_, i) => String(820982911946156000n + BigInt(i)));
    const versionOf = (modifiedGmt: string | undefined) => ['', modified(1), modified(2), modified(3)].indexOf(modifiedGmt ?? 'none');
    const versionAt = (id: string) => versionOf(sim.orders.get(id)?.date_modified_gmt);
    // Every version each order took at the store, in order: a slow write cut off by its deadline lands late too.
    const taken = new Map<string, number[]>();
    const set = sim.orders.set.bind(sim.orders);
    sim.orders.set = (id, order) => {
      taken.set(id, [...(taken.get(id) ?? []), versionOf(order.date_modified_gmt)]);
      return set(id, order);
    };
    const staleAfterNewest = (id: string) => (taken.get(id) ?? []).slice((taken.get(id) ?? []).indexOf(3)).some((v) => v < 3);
    const first = await start(sim.url, undefined, FAULTY_REASSERT_AFTER_MS);
    for (const id of ids) await sendVersion(first, id, 1);
    // Both lanes' next writes are held at the store when orderbridge is killed: they land after the restart.
    held = sim.faults.holdWrites(2);
    for (const id of ids) await sendVersion(first, id, 2);
    await eventually(async () => (held!.waiting === 2 ? true : undefined), 10_000, 'two writes held');
    held.takeNoMore();
    await first.kill();
    running.splice(running.indexOf(first), 1);
    const inHeld = new Set(held.bodies.flatMap((body) => [...body.matchAll(/"order_id":(\d+)/g)].map((m) => m[1]!)));
    expect(inHeld.size).toBeGreaterThan(0);

    // The held orders' last versions go first, and the held writes land right after those are delivered.
    const second = await start(sim.url, first.databasePath, FAULTY_REASSERT_AFTER_MS);
    for (const id of inHeld) await sendVersion(second, id, 3);
    await eventually(async () => ([...inHeld].every((id) => taken.get(id)?.includes(3)) ? true : undefined), 15_000, 'the held orders written at v3');
    held.release();
    await eventually(async () => (held!.waiting === 0 ? true : undefined), 5_000, 'the held writes let go');
    // Each held order went back to an older version after its newest one, and nothing answered for that write.
    await eventually(async () => ([...inHeld].every(staleAfterNewest) ? true : undefined), 5_000, 'the held writes applied');
    for (const id of ids) if (!inHeld.has(id)) await sendVersion(second, id, 3);

    await eventually(async () => (ids.every((id) => versionAt(id) === 3) ? true : undefined), FAULTY_REASSERT_AFTER_MS + 15_000, 'every order at v3');
    // The resends scheduled after unanswered writes still go, once each, with no fault to beget more.
    const injected = { ...sim.faults.injected };
    sim.faults.clear();
    await eventually(async () => (query(second.databasePath, 'SELECT 1 FROM outbox').length === 0 ? true : undefined), FAULTY_REASSERT_AFTER_MS + 15_000, 'an empty outbox');
    expect(ids.filter((id) => versionAt(id) !== 3)).toEqual([]);
    expect(query(second.databasePath, 'SELECT count(*) AS n FROM dead_letters')).toEqual([{ n: 0 }]);
    expect(Math.min(injected.drop, injected.slow, injected.throttle, injected.serverError)).toBeGreaterThan(0);
  }, 150_000);
});
