// A paced destination's lanes follow what its batches make: a store of events (a request an item) gets few lanes of 50
// orders, not 64 that claim a whole backlog at once; a batching store (a request a batch) gets more than two.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { STORES } from '../connectors/registry.ts';
import { createHarness, orderChange, SHOP, storeOrder, type Harness } from './stores/harness.ts';

/** Starts `kind`'s simulator (its documented limit kept), queues `orders` and counts the rows claimed and not yet settled. */
async function drainCounting(h: Harness, kind: string, orders: number, opts: { batchSize?: number; stopAfter: number }) {
  const manifest = STORES.find((s) => s.kind === kind)!;
  const sim = await manifest.simulator.start({});
  try {
    await h.addDestination(kind, sim.destination.settings, sim.destination.secret);
    h.apply(Array.from({ length: orders }, (_, i) => orderChange(storeOrder(String(50_000 + i), 1), ['order.created'])));
    let claimed = 0;
    let mostOutstanding = 0;
    const claim = h.storage.outbox.claim.bind(h.storage.outbox);
    h.storage.outbox.claim = (destinationId, now, limit) => {
      const rows = claim(destinationId, now, limit);
      claimed += rows.length;
      // Rows leave the outbox when settled: what was claimed beyond what left is out in lanes.
      mostOutstanding = Math.max(mostOutstanding, claimed - (orders - h.storage.outbox.count()));
      return rows;
    };
    const store = opts.batchSize ? { ...manifest, batchSize: opts.batchSize } : manifest;
    const engine = new DeliveryEngine({
      sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, secrets: h.secrets, clock: systemClock,
      stores: createStoreCatalog(h.database.db, STORES.map((s) => (s.kind === kind ? store : s))), options: { pollMs: 10 },
    });
    engine.start();
    try {
      while (orders - h.storage.outbox.count() < opts.stopAfter) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await engine.stop();
    }
    expect(h.storage.deadLetters.count()).toBe(0);
    return { mostOutstanding, batchSize: store.batchSize };
  } finally {
    await sim.close();
  }
}

describe('delivery engine: lanes of a paced destination (real SQLite file, store simulators over loopback)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('gives eSputnik events (350 requests/s, one an order, batches of 50) a few lanes, not the whole backlog at once', async () => {
    h = await createHarness();
    const { mostOutstanding, batchSize } = await drainCounting(h, 'esputnik-events', 2_000, { stopAfter: 400 });
    expect(batchSize).toBe(50);
    // Sized as one request a batch, 64 lanes claimed all 2,000 at the first scan. Two or three lanes on a quiet machine;
    // eight would take batches of 50 requests lasting 0.6 s without the pacer's waits (a loaded CI machine's slow answers).
    expect(mostOutstanding).toBeLessThanOrEqual(8 * batchSize);
  });

  it('gives Engage (100 requests/s, one a batch) more lanes than DELIVERY_LANES once its batches have shown it', async () => {
    h = await createHarness();
    const { mostOutstanding, batchSize } = await drainCounting(h, 'engage', 600, { batchSize: 5, stopAfter: 300 });
    // Two lanes of 5 would carry what two round trips allow, not the pace.
    expect(mostOutstanding).toBeGreaterThan(2 * batchSize);
  });
});
