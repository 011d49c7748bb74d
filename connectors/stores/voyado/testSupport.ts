// Shared by the Voyado tests: a plain DestinationContext against a running simulator, and delivery items.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { canonicalOrder } from '../../../mappings/stores/voyado/fixtures.ts';
import type { EventType, Order } from '../../../src/core/canonical/index.ts';
import type { DeliveryItem, DestinationContext } from '../../../src/core/delivery/destination.ts';
import { voyadoStore } from './index.ts';
import { VoyadoSettings } from './settings.ts';
import { startVoyadoSimulator, type RunningVoyadoSimulator } from './simulator/index.ts';

/**
 * One simulator for a test file (jobs run only when polled), reset before each test, and `deliver` against
 * it. `sim()` is the running simulator.
 */
export function sharedSimulator(): { sim: () => RunningVoyadoSimulator; deliver: (items: DeliveryItem[], ctx?: TestContext) => Promise<Awaited<ReturnType<typeof voyadoStore.deliver>>> } {
  let running: RunningVoyadoSimulator;
  beforeAll(async () => { running = await startVoyadoSimulator({ processAfterMs: null }); });
  afterAll(async () => { await running.close(); });
  beforeEach(() => { running.reset(); running.faults.clear(); });
  return { sim: () => running, deliver: (items, ctx = testContext(running)) => voyadoStore.deliver(items, ctx) };
}

/** A fulfilled (or completed) order with a DHL tracking number: the shipment actions carry it. */
export function shipped(id: string, status: 'fulfilled' | 'completed' = 'fulfilled'): Order {
  return canonicalOrder({ id, status }, {
    updatedAt: '2026-03-02T08:00:00.000Z',
    shipping: { method: 'DHL Express', tracking: [{ company: 'DHL', number: 'JD014600', url: 'https://dhl.example/JD014600' }] },
  });
}

export interface TestContext extends DestinationContext<VoyadoSettings> {
  /** Every ctx.sleep call, in ms (job polls). */
  sleeps: number[];
}

export function testContext(
  sim: RunningVoyadoSimulator,
  over: { settings?: Record<string, unknown>; secret?: string; timeoutMs?: number } = {},
): TestContext {
  const timeoutMs = over.timeoutMs ?? 5_000;
  const sleeps: number[] = [];
  return {
    settings: VoyadoSettings.parse({ baseUrl: sim.baseUrl, jobPollIntervalMs: 25, ...over.settings }),
    secret: over.secret ?? sim.apiKey,
    fetch: (input, init) => globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    now: Date.now,
    // Polls need no real waiting: the simulator advances a job per poll.
    sleep: async (ms) => { sleeps.push(ms); },
    sleeps,
  };
}

let nextId = 1;
export function item(order: Order | null, events: EventType[], origin: DeliveryItem['origin'] = 'webhook'): DeliveryItem {
  return { id: nextId++, orderKey: order?.key ?? 'customer', events, order, customer: null, origin, attempt: 1 };
}
