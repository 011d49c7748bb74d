// A store that took part of an item (eSputnik events: one request per event; Voyado: the write, not yet its
// separate actions) is not sent that part again on the retry: the engine keeps only the events and what else
// the store says it still owes (real SQLite file, simulators over HTTP).
import { afterEach, describe, expect, it } from 'vitest';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from '../../connectors/stores/esputnik/simulator/index.ts';
import { startVoyadoSimulator, type RunningVoyadoSimulator } from '../../connectors/stores/voyado/simulator/index.ts';
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

describe('a retry for what a store still owes', () => {
  let h: Harness;
  let sim: RunningVoyadoSimulator;
  afterEach(async () => {
    h.close();
    await sim.close();
  });

  it('Voyado: ConfirmCompletion waits on a job still running; the row keeps it owed; the retries send only it, once', async () => {
    // Each job poll advances the simulator's job: pending for three polls, then Completed.
    sim = await startVoyadoSimulator({ port: 0, processAfterMs: null, pendingPolls: 3 });
    h = await createHarness();
    await h.addDestination('voyado', { baseUrl: sim.baseUrl, jobPollIntervalMs: 1, jobMaxPolls: 1 }, sim.apiKey, { requestsPerSecond: 0 });
    const owedSeen: unknown[] = [];
    const watching: typeof fetch = async (input, init) => {
      // What the outbox row holds while the engine asks after the job again.
      if (String(input).includes('/orders/jobs/')) owedSeen.push(...h.storage.outbox.list({ limit: 10 }).map((r) => r.owed));
      return fetch(input, init);
    };
    h.apply([orderChange(storeOrder('3201', 1, { status: 'completed' }), ['order.updated', 'order.fulfilled'])]);
    const engine = h.engine({ fetch: watching, options: { backoff: FAST_BACKOFF } });
    await engine.drain();

    expect(sim.storage.actions.map((a) => `${a.action} ${a.via}`)).toEqual(['ConfirmShipment embedded', 'ConfirmCompletion endpoint']);
    const writes = sim.stats.calls.filter((c) => !c.startsWith('GET'));
    expect(writes).toEqual(['PUT /orders/3201', 'POST /orders', 'POST /orders/3201/action']); // the order written once (PUT 404 → POST)
    expect(engine.stats).toMatchObject({ delivered: 1, retried: 3, deadLettered: 0 });
    // First poll: nothing owed yet; then each retry's poll finds the action kept on the row.
    const owed = owedSeen.filter((o) => o !== null).map((o) => JSON.parse(o as string) as { orderId: string; actions: Array<{ action: string }> });
    expect(owed).toHaveLength(3);
    for (const o of owed) expect(o).toMatchObject({ orderId: '3201', actions: [{ action: 'ConfirmCompletion' }] });
    expect(h.storage.outbox.count()).toBe(0);
  });

  it('Voyado: a job that never ends leaves a dead letter naming the action it held back', async () => {
    sim = await startVoyadoSimulator({ port: 0, processAfterMs: null, pendingPolls: 1_000 });
    h = await createHarness();
    await h.addDestination('voyado', { baseUrl: sim.baseUrl, jobPollIntervalMs: 1, jobMaxPolls: 1 }, sim.apiKey, { requestsPerSecond: 0 });
    h.apply([orderChange(storeOrder('3202', 1, { status: 'completed' }), ['order.updated', 'order.fulfilled'])]);
    const engine = h.engine({ options: { backoff: { ...FAST_BACKOFF, maxAttempts: 3 } } });
    await engine.drain();

    const [letter] = h.storage.deadLetters.list({ limit: 10, includeReplayed: true });
    expect(letter?.error).toMatch(/^gave up after 3 attempts: order 3202 written; Voyado job job-\d+ still running, ConfirmCompletion waits on it$/);
    expect(sim.storage.actions).toEqual([]);
    expect(sim.stats.calls.filter((c) => !c.startsWith('GET'))).toEqual(['PUT /orders/3202', 'POST /orders']);
  });

  it('Voyado: what a row owes survives retries the engine makes itself (settings that do not read), and is sent once they are fixed', async () => {
    sim = await startVoyadoSimulator({ port: 0, processAfterMs: null, pendingPolls: 0 });
    h = await createHarness();
    const settings = { baseUrl: sim.baseUrl, jobPollIntervalMs: 1, jobMaxPolls: 1 };
    const id = await h.addDestination('voyado', settings, sim.apiKey, { requestsPerSecond: 0 });
    const good = h.storage.shops.destination(id)!;
    h.apply([orderChange(storeOrder('3203', 1, { status: 'completed' }), ['order.created'])]);
    await h.engine({ options: { backoff: FAST_BACKOFF } }).drain(); // the order is in Voyado
    // A row as a retry that owes one action leaves it (events sent; the action waits).
    h.apply([orderChange(storeOrder('3203', 2, { status: 'completed' }), ['order.updated'])]);
    const owed = { orderId: '3203', job: null, actions: [{ action: 'ConfirmCompletion', data: { step: 'completed' } }] };
    h.database.sqlite.prepare(`UPDATE outbox SET events = '[]', owed = ? WHERE destination_id = ?`).run(JSON.stringify(owed), id);
    h.storage.shops.upsertDestination({ ...good, settings: JSON.stringify({ ...settings, tenantt: 'x' }) });
    const engine = h.engine({ options: { backoff: FAST_BACKOFF } });
    engine.start();
    try {
      await expect.poll(() => h.storage.outbox.list({ destinationId: id, limit: 5 })[0]?.attempts ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
      expect(JSON.parse(h.storage.outbox.list({ destinationId: id, limit: 5 })[0]!.owed!)).toEqual(owed);
      const writesBefore = sim.stats.calls.filter((c) => !c.startsWith('GET')).length;
      h.storage.shops.upsertDestination(good);
      await expect.poll(() => h.storage.outbox.count(), { timeout: 5_000 }).toBe(0);
      expect(sim.stats.calls.filter((c) => !c.startsWith('GET')).slice(writesBefore)).toEqual(['POST /orders/3203/action']);
      expect(sim.storage.actions.map((a) => a.action)).toContain('ConfirmCompletion');
    } finally {
      await engine.stop();
    }
  });
});
