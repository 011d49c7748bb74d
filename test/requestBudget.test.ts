// A request may be paced in another store kind's budget (eSputnik events importing contacts through v1/orders,
// whose limit esputnik-orders shares): the engine's pacer takes that kind's group and ceiling for it.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../src/core/clock.ts';
import type { StoreAnswer, StoreDefinition, StoreRequest } from '../src/core/delivery/destination.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { pacedInterval } from '../src/core/delivery/pacer.ts';
import { StoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { createHarness, orderChange, SHOP, SHOP_DOMAIN, type Harness } from './stores/harness.ts';

const ORDERS_PER_SECOND = 10;

/** Three requests an item: the first in its own (fast) budget, the other two in the 'ledger' kind's 10/s. */
const importingStore: StoreDefinition<Record<string, never>> = {
  kind: 'importing', title: 'A store that also writes through another kind\'s method', settingsSchema: z.strictObject({}),
  requiresSecret: false, batchSize: 1, requestsPerSecond: 1_000, timeoutMs: 1_000,
  async deliver(items, ctx) {
    await ctx.fetch('http://store.invalid/event', { method: 'POST', redirect: 'error' });
    const budget = { kind: 'ledger', group: 'account-1', perSecond: ORDERS_PER_SECOND };
    for (let i = 0; i < 2; i++) await ctx.fetch('http://store.invalid/orders', { method: 'POST', redirect: 'error', budget });
    return items.map(() => ({ outcome: 'delivered' }) as const);
  },
};

describe('requests paced in another kind\'s budget', () => {
  let h: Harness;
  afterEach(() => h.close());

  async function drain(requestsPerSecond: number | null): Promise<{ waits: number[]; budgets: Array<StoreRequest['budget']> }> {
    h = await createHarness();
    h.storage.shops.upsertDestination({
      id: `${SHOP}:importing`, shopId: SHOP, kind: 'importing', settings: '{}', secretSealed: null, enabled: true, requestsPerSecond,
    });
    h.apply([orderChange(makeOrder('1', {}, SHOP_DOMAIN), ['order.created'])]);
    const frozen = systemClock.now() + 1_000;
    const waits: number[] = [];
    const budgets: Array<StoreRequest['budget']> = [];
    const answer: StoreAnswer = { status: 200, statusText: 'OK', headers: new Headers(), text: async () => '' };
    const engine = new DeliveryEngine({
      sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: new StoreCatalog([importingStore]),
      // A clock that stands still: the pacer's waits are then exactly its spacing, however busy the machine.
      secrets: h.secrets, clock: { now: () => frozen },
      fetch: async (_url, init) => { budgets.push(init.budget); return answer; },
      // The pacer's waits are recorded, not slept: what is asked shows the spacing.
      sleep: async (ms) => { waits.push(ms); },
    });
    await engine.drain();
    expect(h.storage.outbox.count()).toBe(0);
    return { waits, budgets };
  }

  it('spaces the budgeted requests by that kind\'s ceiling, not the destination\'s', async () => {
    const { waits, budgets } = await drain(null);
    expect(budgets.map((b) => b?.kind ?? 'own')).toEqual(['own', 'ledger', 'ledger']);
    // 1,000/s would space them 1 ms apart; 10/s spaces the second import ~100 ms after the first.
    expect(Math.max(...waits)).toBeCloseTo(pacedInterval(ORDERS_PER_SECOND), 2);
  });

  it('a destination whose own ceiling is lower paces the budgeted requests by it', async () => {
    const { waits } = await drain(4);
    // 4/s: the second import waits ~250 ms, not the ~100 ms of the other kind's 10/s.
    expect(Math.max(...waits)).toBeCloseTo(pacedInterval(4), 2);
  });

  it('a destination whose ceiling is lifted (0) waits for neither', async () => {
    const { waits } = await drain(0);
    expect(waits.filter((ms) => ms >= 1)).toEqual([]);
  });
});
