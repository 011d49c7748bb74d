// A store that took part of an item (eSputnik events: one request per event) is not sent that part again
// on the retry: the engine keeps only the events still owed (real SQLite file, eSputnik simulator over HTTP).
import { afterEach, describe, expect, it } from 'vitest';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from '../../connectors/esputnik/simulator.ts';
import { createHarness, FAST_BACKOFF, orderChange, storeOrder, type Harness } from './harness.ts';

describe('a retry after a partial delivery', () => {
  let h: Harness;
  let sim: RunningEsputnikSimulator;
  afterEach(async () => {
    h.close();
    await sim.close();
  });

  it('eSputnik events: orderCreated arrives, orderUpdated fails once; the retry does not send orderCreated again', async () => {
    sim = await startEsputnikSimulator({ port: 0, contacts: ['anna@example.com'] });
    h = await createHarness();
    await h.addDestination('esputnik-events', { baseUrl: sim.baseUrl }, 'esputnik-test-key');
    let eventRequests = 0;
    const failingSecond: typeof fetch = async (input, init) => {
      // The second event request of the run answers 503, as an overloaded eSputnik would.
      if (String(input).endsWith('/v1/event') && ++eventRequests === 2) return new Response('{"error":"busy"}', { status: 503 });
      return fetch(input, init);
    };
    h.apply([orderChange(storeOrder('3101', 1), ['order.created', 'order.paid', 'order.delivered'])]);
    const engine = h.engine({ fetch: failingSecond, options: { backoff: FAST_BACKOFF } });
    await engine.drain();

    // paid → orderUpdated, delivered → orderDelivered (README table); each reached eSputnik exactly once.
    expect(sim.events.map((e) => e.eventTypeKey)).toEqual(['orderCreated', 'orderUpdated', 'orderDelivered']);
    expect(engine.stats).toMatchObject({ delivered: 1, retried: 1, deadLettered: 0 });
    expect(h.storage.outbox.count()).toBe(0);
    expect(eventRequests).toBe(4); // created, updated (503), then updated and delivered
  });
});
