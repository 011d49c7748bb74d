import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalOrder } from '../../../mappings/stores/voyado/fixtures.ts';
import { voyadoStore } from './index.ts';
import { startVoyadoSimulator, type RunningVoyadoSimulator } from './simulator/index.ts';
import { item, testContext } from './testSupport.ts';

let sim: RunningVoyadoSimulator;
beforeAll(async () => { sim = await startVoyadoSimulator({ processAfterMs: null }); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.reset(); sim.faults.clear(); });

const created = (id: string) => item(canonicalOrder({ id }), ['order.created']);

describe('Voyado delivery: a batch with one invalid order', () => {
  it('delivers the others and rejects the invalid one with Voyado\'s validation text', async () => {
    const bad = canonicalOrder({ id: '7002' }, { customer: { ...canonicalOrder().customer!, email: 'not-an-email' } });
    const outcomes = await voyadoStore.deliver([created('7001'), item(bad, ['order.created']), created('7003')], testContext(sim));
    expect(outcomes.map((o) => o.outcome)).toEqual(['delivered', 'rejected', 'delivered']);
    expect(outcomes[1]).toEqual({
      outcome: 'rejected',
      error: expect.stringMatching(/^Voyado POST \/orders → 400 .*One or more validation errors occurred.*"contact.matchKey":\["Not a valid email address."\]/),
    });
    expect(sim.orders.get('7001')).toBeDefined();
    expect(sim.orders.get('7002')).toBeUndefined();
    expect(sim.orders.get('7003')).toBeDefined();
  });
});

describe('Voyado delivery: the orders of one call are followed side by side', () => {
  it('sends the first alone, then up to 8 at once, and every order ends Completed in the simulator', async () => {
    const ctx = testContext(sim);
    const base = ctx.fetch;
    let inFlight = 0;
    let most = 0;
    ctx.fetch = async (input, init) => {
      most = Math.max(most, ++inFlight);
      try {
        return await base(input, init);
      } finally {
        inFlight--;
      }
    };
    const ids = Array.from({ length: 16 }, (_, i) => String(7800 + i));
    const outcomes = await voyadoStore.deliver(ids.map(created), ctx);
    expect(outcomes).toEqual(ids.map(() => ({ outcome: 'delivered', detail: expect.stringContaining('Completed') })));
    for (const id of ids) expect(sim.orders.get(id)).toMatchObject({ orderId: id });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
  });

  it('after a "not now" on the first order, sends none of the rest', async () => {
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 3 });
    const outcomes = await voyadoStore.deliver(['7901', '7902', '7903'].map(created), testContext(sim));
    expect(outcomes).toEqual(Array.from({ length: 3 }, () => ({ outcome: 'retry', error: expect.stringContaining('→ 429'), retryAfterMs: 3000 })));
    expect(sim.faults.injected.throttle).toBe(1);
  });
});

describe('Voyado delivery: transient failures are retried', () => {
  it('classifies 5xx as retry and stops sending for the rest of the call', async () => {
    sim.faults.set({ serverErrorRate: 1 });
    const outcomes = await voyadoStore.deliver([created('7101'), created('7102')], testContext(sim));
    expect(outcomes).toEqual([
      { outcome: 'retry', error: expect.stringContaining('Voyado POST /orders → 503') },
      { outcome: 'retry', error: expect.stringContaining('Voyado POST /orders → 503') },
    ]);
    expect(sim.faults.injected.serverError).toBe(1);
  });

  it('classifies 429 as retry with Retry-After → retryAfterMs', async () => {
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 7 });
    const [outcome] = await voyadoStore.deliver([created('7201')], testContext(sim));
    expect(outcome).toEqual({ outcome: 'retry', error: expect.stringContaining('→ 429'), retryAfterMs: 7000 });
  });

  it('classifies a timeout as retry', async () => {
    sim.faults.set({ slowRate: 1, slowMs: 400 });
    const [outcome] = await voyadoStore.deliver([created('7301')], testContext(sim, { timeoutMs: 100 }));
    expect(outcome).toEqual({ outcome: 'retry', error: expect.stringContaining('timed out') });
  });

  it('classifies a dropped connection as retry', async () => {
    sim.faults.set({ dropRate: 1 });
    const [outcome] = await voyadoStore.deliver([created('7401')], testContext(sim));
    expect(outcome).toEqual({ outcome: 'retry', error: expect.stringContaining('network error') });
    expect(sim.faults.injected.drop).toBe(1);
  });

  it('keeps orders for after a key fix: 401 is retry, not a dead letter', async () => {
    const [outcome] = await voyadoStore.deliver([created('7501')], testContext(sim, { secret: 'wrong-key' }));
    expect(outcome).toEqual({ outcome: 'retry', error: expect.stringContaining('→ 401') });
  });

  it('keeps polling when one job poll fails, then sees the job complete', async () => {
    const ctx = testContext(sim);
    let failedPolls = 0;
    const base = ctx.fetch;
    ctx.fetch = async (input, init) => {
      if (String(input).includes('/orders/jobs/') && failedPolls === 0) {
        failedPolls++;
        return new Response('{"title":"Service Unavailable"}', { status: 503 });
      }
      return base(input, init);
    };
    const [outcome] = await voyadoStore.deliver([created('7601')], ctx);
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('Completed') });
    expect(failedPolls).toBe(1);
  });
});
