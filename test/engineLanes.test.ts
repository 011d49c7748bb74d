// A paced destination's lanes follow what its batches make: a store of events (a request an item) gets few lanes of 50
// orders, not 64 that claim a whole backlog at once; a batching store (a request a batch) gets more than two.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DeliveryOutcome, StoreAnswer, StoreDefinition } from '../src/core/delivery/destination.ts';
import { createStoreCatalog, StoreCatalog } from '../src/core/delivery/storeCatalog.ts';
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
    const engine = h.engine({ stores: createStoreCatalog(h.database.db, STORES.map((s) => (s.kind === kind ? store : s))) });
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
    // sixteen would take batches of 50 requests lasting over a second without the pacer's waits.
    expect(mostOutstanding).toBeLessThanOrEqual(16 * batchSize);
  });

  it('gives Engage (100 requests/s, one a batch) more lanes than DELIVERY_LANES once its batches have shown it', async () => {
    h = await createHarness();
    const { mostOutstanding, batchSize } = await drainCounting(h, 'engage', 600, { batchSize: 5, stopAfter: 300 });
    // Two lanes of 5 would carry what two round trips allow, not the pace; ten on a quiet machine. Counting the pacer's
    // waits as a batch's own time, lanes fed on themselves up to 64.
    expect(mostOutstanding).toBeGreaterThan(2 * batchSize);
    expect(mostOutstanding).toBeLessThanOrEqual(32 * batchSize);
  });

  it('opens no lanes on batches that failed: a store down makes fewer requests a batch than it will once back', async () => {
    h = await createHarness();
    /** In flight at once, the most: the destination's lanes. */
    const mostAtOnce = async (outcome: 'delivered' | 'retry') => {
      let now = 0;
      let most = 0;
      const store: StoreDefinition<Record<string, never>> = {
        kind: `probe-${outcome}`, title: 'one request a batch, 100 a second', settingsSchema: z.strictObject({}), requiresSecret: true,
        batchSize: 5, requestsPerSecond: 100, timeoutMs: 1_000,
        async deliver(items, ctx) {
          most = Math.max(most, ++now);
          try {
            await ctx.fetch('http://store.invalid/orders', { method: 'POST', redirect: 'error' });
            await new Promise((r) => setTimeout(r, 5));
            return items.map((): DeliveryOutcome => (outcome === 'delivered' ? { outcome } : { outcome, error: 'store down (503)' }));
          } finally {
            now--;
          }
        },
      };
      const id = `${SHOP}:${store.kind}`;
      h.storage.shops.upsertDestination({ id, shopId: SHOP, kind: store.kind, settings: '{}', secretSealed: await h.secrets.seal('key'), enabled: true, requestsPerSecond: null });
      h.apply(Array.from({ length: 200 }, (_, i) => orderChange(storeOrder(String(60_000 + i), 1), ['order.created'])));
      const answer: StoreAnswer = { status: 200, statusText: 'OK', headers: new Headers(), text: async () => '' };
      const engine = h.engine({ stores: new StoreCatalog([store]), fetch: async () => answer, options: { backoff: { baseMs: 1, maxMs: 1, maxAttempts: 1_000 } } });
      engine.start();
      await new Promise((r) => setTimeout(r, 800));
      await engine.stop();
      h.storage.shops.removeDestination(SHOP, id);
      return most;
    };
    expect(await mostAtOnce('delivered')).toBeGreaterThan(2);
    // Counted, the failed batches' one request each would have opened ten lanes.
    expect(await mostAtOnce('retry')).toBeLessThanOrEqual(2);
  });
});
