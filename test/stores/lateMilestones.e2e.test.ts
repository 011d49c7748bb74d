// Shopify does not order its webhooks: orders/create may arrive after a later orders/updated. The stale version
// loses to the stored one, but its order.created still reaches the stores that act on lifecycle events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from '../../connectors/stores/esputnik/simulator/index.ts';
import { createHarness, orderChange, SHOP, storeOrder, type Harness } from './harness.ts';

const ID = '3001';
const paid = () => storeOrder(ID, 2, { status: 'paid', financialStatus: 'paid' });

let h: Harness;
let sim: RunningEsputnikSimulator;
beforeEach(async () => {
  h = await createHarness();
  // anna@example.com is new to eSputnik: only a contact import (v1/orders) makes her events count.
  sim = await startEsputnikSimulator({ port: 0 });
  await h.addDestination('esputnik-events', { baseUrl: sim.baseUrl }, 'esputnik-test-key');
});
afterEach(async () => {
  await sim.close();
  h.close();
});

const param = (i: number, name: string) => sim.events[i]!.params.find((p) => p.name === name)?.value;

describe('a late orders/create (real SQLite, real HTTP to the eSputnik simulator)', () => {
  it('queued before the newer version went out: one item, orderCreated first, with the newest order', async () => {
    const engine = h.engine({});
    expect(h.apply([orderChange(paid(), ['order.updated'])])[0]).toMatchObject({ outcome: 'accepted' });
    expect(h.apply([orderChange(storeOrder(ID, 1), ['order.created'])])[0]).toMatchObject({ outcome: 'stale' });
    await engine.drain();
    expect(h.storage.deadLetters.list({ limit: 10 })).toEqual([]);
    expect(sim.events.map((e) => [e.eventTypeKey, e.result])).toEqual([['orderCreated', 'applied'], ['orderUpdated', 'applied']]);
    // Both carry the newest version (paid, shipping 20.01): the stale one is never sent.
    expect([param(0, 'status'), param(0, 'shipping')]).toEqual(['IN_PROGRESS', '20.01']);
    expect(sim.orders.get(ID)).toMatchObject({ status: 'IN_PROGRESS' });
  });

  it('after the newer version went out: orderCreated follows; the first version seen had imported the buyer', async () => {
    const engine = h.engine({});
    h.apply([orderChange(paid(), ['order.updated'])]);
    await engine.drain();
    // No order.created yet, but the first version orderbridge saw of the order: its buyer may be new to eSputnik.
    expect(sim.events.map((e) => [e.eventTypeKey, e.result])).toEqual([['orderUpdated', 'applied']]);
    expect(sim.orders.get(ID)).toMatchObject({ status: 'IN_PROGRESS' });
    h.apply([orderChange(storeOrder(ID, 1), ['order.created'])]);
    await engine.drain();
    expect(sim.events.map((e) => [e.eventTypeKey, e.result])).toEqual([['orderUpdated', 'applied'], ['orderCreated', 'applied']]);
    expect(param(1, 'shipping')).toBe('20.01');
    // The buyer was imported once, with the first version: each v1/orders write fires an order<STATUS> event in eSputnik.
    expect(sim.state.requests.get('POST /v1/orders')).toBe(1);
    expect(h.storage.outbox.count()).toBe(0);
  });
});

describe('an order orderbridge first sees through an update (created before the shop was connected)', () => {
  it('imports its buyer with that first version only; later updates send their events alone', async () => {
    const engine = h.engine({});
    h.apply([orderChange(paid(), ['order.updated', 'order.paid'])]);
    await engine.drain();
    h.apply([orderChange(storeOrder(ID, 3, { status: 'fulfilled' }), ['order.fulfilled'])]);
    await engine.drain();
    expect(sim.events.map((e) => [e.eventTypeKey, e.result])).toEqual([['orderUpdated', 'applied'], ['orderUpdated', 'applied']]);
    // One v1/orders write (the import): each one fires an order<STATUS> event in eSputnik.
    expect(sim.state.requests.get('POST /v1/orders')).toBe(1);
  });
});

describe('an eSputnik events destination added after an order was first seen', () => {
  it('imports the buyer with the first version it gets of that order', async () => {
    const id = `${SHOP}:esputnik-events`;
    h.storage.shops.removeDestination(SHOP, id);
    h.apply([orderChange(storeOrder(ID, 1), ['order.created'])]); // before the destination existed
    await new Promise((r) => setTimeout(r, 5));
    await h.addDestination('esputnik-events', { baseUrl: sim.baseUrl }, 'esputnik-test-key');
    const engine = h.engine({});
    h.apply([orderChange(paid(), ['order.updated', 'order.paid'])]);
    await engine.drain();
    expect(sim.events.map((e) => [e.eventTypeKey, e.result])).toEqual([['orderUpdated', 'applied']]);
    expect(sim.state.requests.get('POST /v1/orders')).toBe(1);
  });
});
