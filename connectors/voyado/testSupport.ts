// Shared by the Voyado tests: a plain DestinationContext against a running simulator, and delivery items.
import type { EventType, Order } from '../../src/canonical/index.ts';
import type { DeliveryItem, DestinationContext } from '../../src/delivery/destination.ts';
import { VoyadoSettings } from './settings.ts';
import type { RunningVoyadoSimulator } from './simulator.ts';

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
