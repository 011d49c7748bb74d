// Destinations that hold the same API key share the store's request limit: the vendor counts requests per key, not per
// destination, so two destinations each taking the full limit would be throttled (a store without a rateGroup of its own).
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../src/core/clock.ts';
import type { StoreAnswer, StoreDefinition } from '../src/core/delivery/destination.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { pacedInterval } from '../src/core/delivery/pacer.ts';
import { StoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { createHarness, orderChange, SHOP, SHOP_DOMAIN, type Harness } from './stores/harness.ts';

const PER_SECOND = 10;
const ORDERS = 3;

/** One request per order, 10 a second, no rateGroup: the engine decides what shares a budget. */
const keyedStore: StoreDefinition<Record<string, never>> = {
  kind: 'keyed', title: 'A store limited per API key', settingsSchema: z.strictObject({}),
  requiresSecret: true, batchSize: 1, requestsPerSecond: PER_SECOND, timeoutMs: 1_000,
  async deliver(items, ctx) {
    await ctx.fetch('http://store.invalid/orders', { method: 'POST', redirect: 'error' });
    return items.map(() => ({ outcome: 'delivered' }) as const);
  },
};

describe('destinations sharing one API key', () => {
  let h: Harness;
  afterEach(() => h.close());

  /** The pacer's waits while two destinations with these keys drain ORDERS orders each. */
  async function waitsFor(keys: [string, string]): Promise<number[]> {
    h = await createHarness();
    for (const [i, key] of keys.entries()) {
      h.storage.shops.upsertDestination({
        id: `${SHOP}:keyed-${i}`, shopId: SHOP, kind: 'keyed', settings: '{}', secretSealed: await h.secrets.seal(key), enabled: true, requestsPerSecond: null,
      });
    }
    h.apply(Array.from({ length: ORDERS }, (_, i) => orderChange(makeOrder(String(i + 1), {}, SHOP_DOMAIN), ['order.created'])));
    const frozen = systemClock.now() + 1_000;
    const waits: number[] = [];
    const answer: StoreAnswer = { status: 200, statusText: 'OK', headers: new Headers(), text: async () => '' };
    const engine = new DeliveryEngine({
      sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: new StoreCatalog([keyedStore]),
      // A clock that stands still and waits recorded, not slept: the waits are exactly the pacer's spacing.
      secrets: h.secrets, clock: { now: () => frozen }, fetch: async () => answer, sleep: async (ms) => { waits.push(ms); },
    });
    await engine.drain();
    expect(h.storage.outbox.count()).toBe(0);
    return waits.sort((a, b) => a - b);
  }

  it('share one budget: six requests spaced 100 ms apart across both', async () => {
    const waits = await waitsFor(['same-key', 'same-key']);
    // Slots 0, 100.5, …, 502.5 ms (100 ms at 99.5 %): the last request waits five intervals, not the two it would wait alone.
    expect(Math.max(...waits)).toBeCloseTo((2 * ORDERS - 1) * pacedInterval(PER_SECOND), 2);
  });

  it('with different keys each takes the full limit', async () => {
    const waits = await waitsFor(['key-one', 'key-two']);
    expect(Math.max(...waits)).toBeCloseTo((ORDERS - 1) * pacedInterval(PER_SECOND), 2);
  });
});
