// Done-criterion 4, each case on its own: a newer version never overtakes one in flight, and a stale one is never sent after a newer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngageSimulator, type RunningEngageSimulator } from '../../connectors/stores/engage/simulator/index.ts';
import { eventually } from '../support/shopifySender.ts';
import { createHarness, FAST_BACKOFF, orderChange, storeOrder, versionOfTotal, type Harness } from './harness.ts';
import { recordingFetch, type RecordingFetch, type SentRequest } from './recordingFetch.ts';
import { engageVersions, regressions, versionsByOrder } from './versionLedger.ts';

const ID = '4242';
const v = (version: number, events: Parameters<typeof orderChange>[1] = ['order.updated']) => orderChange(storeOrder(ID, version), events);

let h: Harness;
let sim: RunningEngageSimulator;
let recorder: RecordingFetch;
beforeEach(async () => {
  h = await createHarness();
  sim = await startEngageSimulator({ port: 0 });
  await h.addDestination('engage', { baseUrl: sim.url }, sim.token);
  recorder = recordingFetch(5_000);
});
afterEach(async () => {
  await sim.close();
  h.close();
});

const heldVersion = () => versionOfTotal(sim.orders.get(ID)!.order_value);
const sentVersions = (requests: SentRequest[] = recorder.sent) => versionsByOrder(requests, engageVersions).get(ID) ?? [];
const emptyOutbox = () => eventually(async () => (h.storage.outbox.count() === 0 ? true : undefined), 10_000, 'an empty outbox');

describe('per-order ordering at the store', () => {
  it('holds newer versions back while an older one is in flight, then sends only the newest', async () => {
    sim.faults.set({ slowRate: 1, slowMs: 300 });
    const engine = h.engine({ fetch: recorder.fetch, options: { backoff: FAST_BACKOFF } });
    engine.start();
    h.apply([v(1, ['order.created'])]);
    engine.nudge();
    await eventually(async () => (recorder.sent.length === 1 ? true : undefined), 5_000, 'v1 on the wire');
    // v2 and v3 arrive while v1 is in flight: they must wait behind it (and coalesce into one row).
    h.apply([v(2)]);
    engine.nudge();
    h.apply([v(3)]);
    engine.nudge();
    await emptyOutbox();
    await engine.stop();

    expect(sentVersions()).toEqual([1, 3]);
    const [first, second] = recorder.sent;
    // v3 left only after v1's answer came back.
    expect(second!.seq).toBeGreaterThan(first!.settledSeq!);
    expect(heldVersion()).toBe(3);
  });

  it('a version that failed and waits out its back-off is replaced by the newer one, never resent after it', async () => {
    sim.faults.set({ serverErrorRate: 1 });
    const engine = h.engine({ fetch: recorder.fetch, options: { backoff: { baseMs: 200, maxMs: 200, maxAttempts: 50 } } });
    engine.start();
    h.apply([v(1, ['order.created'])]);
    engine.nudge();
    // One attempt and not claimed = waiting out its back-off, not in flight; the next line runs before any claim.
    await eventually(async () => {
      const row = h.storage.outbox.list({ limit: 1 })[0];
      return row?.attempts === 1 && !h.storage.outbox.isClaimed(row.id) ? true : undefined;
    }, 5_000, 'v1 failed once');
    h.apply([v(2)]);
    sim.faults.clear();
    await emptyOutbox();
    await engine.stop();

    const versions = sentVersions();
    expect(versions.at(-1)).toBe(2);
    expect(regressions(new Map([[ID, versions]]))).toEqual([]);
    expect(recorder.accepted().flatMap((r) => engageVersions(r).map(([, ver]) => ver))).toEqual([2]);
    expect(heldVersion()).toBe(2);
  });

  it('an older version arriving after a newer was delivered is refused as stale and never sent', async () => {
    const engine = h.engine({ fetch: recorder.fetch });
    expect(h.apply([v(3, ['order.created'])])[0]!.outcome).toBe('accepted');
    await engine.drain();
    expect(h.apply([v(1)])[0]!.outcome).toBe('stale');
    expect(h.apply([v(2)])[0]!.outcome).toBe('stale');
    expect(h.storage.outbox.count()).toBe(0);
    await engine.drain();
    expect(sentVersions()).toEqual([3]);
    expect(heldVersion()).toBe(3);
  });

  it('replaying an old dead letter sends the newest known version, not the stale one it kept', async () => {
    // v1 is refused for good (the engine gives up after 2 attempts), v2 goes through behind it.
    sim.faults.set({ serverErrorRate: 1 });
    const engine = h.engine({ fetch: recorder.fetch, options: { backoff: { baseMs: 5, maxMs: 5, maxAttempts: 2 } } });
    engine.start();
    h.apply([v(1, ['order.created'])]);
    engine.nudge();
    await eventually(async () => (h.storage.deadLetters.count() === 1 ? true : undefined), 5_000, 'v1 dead-lettered');
    sim.faults.clear();
    h.apply([v(2)]);
    engine.nudge();
    await emptyOutbox();
    expect(heldVersion()).toBe(2);

    const [letter] = h.storage.deadLetters.list({ limit: 10 });
    expect(letter!.error).toMatch(/^gave up after 2 attempts: Engage 503/);
    expect(h.storage.deadLetters.replay(letter!.id)).toMatchObject({ replayed: true });
    engine.nudge();
    await emptyOutbox();
    await engine.stop();

    expect(recorder.accepted().flatMap((r) => engageVersions(r).map(([, ver]) => ver))).toEqual([2, 2]);
    expect(regressions(new Map([[ID, sentVersions()]]))).toEqual([]);
    expect(heldVersion()).toBe(2);
  });

  it('the ordering check itself catches a version going back', () => {
    expect(regressions(new Map([['a', [1, 1, 3]], ['b', [1, 3, 2]]]))).toEqual([{ orderId: 'b', versions: [1, 3, 2] }]);
  });
});
