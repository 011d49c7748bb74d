// Done-criterion 1: created → updated → cancelled → deleted ends in the right state at each store (README mapping tables).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventType, Order } from '../../src/canonical/index.ts';
import { startEngageSimulator, type RunningEngageSimulator } from '../../connectors/engage/simulator.ts';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from '../../connectors/esputnik/simulator.ts';
import { startExpertSenderSimulator, type RunningExpertSenderSimulator } from '../../connectors/expertsender/simulator.ts';
import { createHarness, deleteChange, orderChange, storeOrder, type Harness } from './harness.ts';

const ID = '1001';
const CANCELLED_AT = '2026-11-01T10:03:00.000Z';

/** The four steps a webhook stream brings, each delivered before the next arrives. */
const steps = {
  created: (): [Order, EventType[]] => [storeOrder(ID, 1), ['order.created']],
  // v2: paid, three mugs instead of two, a new e-mail.
  updated: (): [Order, EventType[]] => [storeOrder(ID, 2, {
    status: 'paid', financialStatus: 'paid',
    customer: { ...storeOrder(ID, 2).customer!, email: 'anna.new@example.com' },
    lineItems: [{ ...storeOrder(ID, 2).lineItems[0]!, quantity: 3, subtotal: 3000, total: 3000 }],
    totals: { subtotal: 3000, discount: 0, shipping: 2001, fees: 0, tax: 0, total: 5001, refunded: 0 },
  }), ['order.updated']],
  cancelled: (): [Order, EventType[]] => {
    const [v2] = steps.updated();
    return [{ ...v2, status: 'cancelled', cancelledAt: CANCELLED_AT, cancelReason: 'customer', updatedAt: CANCELLED_AT }, ['order.cancelled']];
  },
};

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(() => h.close());

/** Pushes one step like a webhook would and delivers until the outbox is empty. */
async function step(engine: ReturnType<Harness['engine']>, change: Parameters<Harness['apply']>[0][number]) {
  expect(h.apply([change])[0]!.outcome).toBe('accepted');
  await engine.drain();
  expect(h.storage.outbox.count()).toBe(0);
  expect(h.storage.deadLetters.list({ limit: 10 })).toEqual([]);
}

describe('order lifecycle reaches each store (real SQLite, real HTTP, real DeliveryEngine)', () => {
  let engageSim: RunningEngageSimulator;
  let esSim: RunningExpertSenderSimulator;
  let spSim: RunningEsputnikSimulator;
  afterEach(async () => {
    await Promise.all([engageSim?.close(), esSim?.close(), spSim?.close()]);
  });

  it('engage: order_id, status table, order_value, currency, email, city/country, dates and line items', async () => {
    engageSim = await startEngageSimulator({ port: 0 });
    await h.addDestination('engage', { baseUrl: engageSim.url }, engageSim.token);
    const engine = h.engine({});
    const held = () => engageSim.orders.get(ID)!;

    await step(engine, orderChange(...steps.created()));
    expect(Number(held().order_id)).toBe(1001);
    expect(held()).toMatchObject({
      status: 'pending', order_value: 30.01, currency: 'EUR', email: 'anna@example.com', city: 'Stockholm', country: 'SE',
      date_created_gmt: '2026-11-01T10:00:00+00:00', date_modified_gmt: '2026-11-01T10:01:00+00:00',
      first_name: 'Anna', last_name: 'Åberg', zip_code: '111 51',
    });
    expect(held().line_items).toHaveLength(1);
    expect(Number(held().line_items[0]!.line_item_product_id)).toBe(7001);
    expect(held().line_items[0]).toMatchObject({ line_item_price: 10, line_item_quantity: 2, line_item_name: 'Mug', line_item_sku: 'SKU-1' });

    await step(engine, orderChange(...steps.updated()));
    expect(held()).toMatchObject({ status: 'processing', order_value: 50.01, email: 'anna.new@example.com', date_modified_gmt: '2026-11-01T10:02:00+00:00' });
    expect(held().line_items[0]).toMatchObject({ line_item_quantity: 3, line_item_subtotal: 30 });

    await step(engine, orderChange(...steps.cancelled()));
    expect(held()).toMatchObject({ status: 'cancelled', order_value: 50.01 });

    // No delete endpoint: the README's rule is to overwrite the record once more with status "deleted".
    await step(engine, deleteChange(ID, '2026-11-01T10:04:00.000Z'));
    expect(held()).toMatchObject({ status: 'deleted', order_value: 50.01, email: 'anna.new@example.com' });
    expect(engageSim.orders.size).toBe(1);
  });

  it('expertsender: id, status table (PUT for status-only), totalValue, currency, customer.email, products, DELETE', async () => {
    esSim = await startExpertSenderSimulator({ port: 0 });
    await h.addDestination('expertsender', { baseUrl: esSim.url }, esSim.apiKey);
    const engine = h.engine({});
    const held = () => esSim.orders.get(ID)!;

    await step(engine, orderChange(...steps.created()));
    expect(held()).toMatchObject({
      id: '1001', status: 'placed', totalValue: 30.01, currency: 'EUR', timeZone: 'UTC', returnsValue: 0,
      customer: { email: 'anna@example.com', crmId: 'c1', phone: '+46700000000' }, isDeleted: false,
    });
    expect(Date.parse(held().date)).toBe(Date.parse('2026-11-01T10:00:00.000Z'));
    expect(held().products).toHaveLength(1);
    expect(held().products[0]).toMatchObject({ id: '7001', name: 'Mug', price: 10, quantity: 2, returned: 0 });

    await step(engine, orderChange(...steps.updated()));
    expect(held()).toMatchObject({ status: 'paid', totalValue: 50.01, customer: { email: 'anna.new@example.com' } });
    expect(held().products[0]).toMatchObject({ quantity: 3 });

    const before = esSim.calls.length;
    await step(engine, orderChange(...steps.cancelled()));
    expect(held()).toMatchObject({ status: 'canceled', totalValue: 50.01 });
    // Status-only change: PUT /orders/status, not a whole AddOrReplace (README, delivery rule 1).
    expect(esSim.calls.slice(before)).toEqual([{ method: 'PUT', path: '/orders/status', status: 200 }]);

    await step(engine, deleteChange(ID, '2026-11-01T10:04:00.000Z'));
    expect(held().isDeleted).toBe(true);
    expect(esSim.calls.at(-1)).toEqual({ method: 'DELETE', path: '/orders/1001', status: 200 });
  });

  it('esputnik-orders: externalOrderId, status table, totalCost, currency, email, items, DELETE', async () => {
    spSim = await startEsputnikSimulator({ port: 0 });
    await h.addDestination('esputnik-orders', { baseUrl: spSim.baseUrl }, 'esputnik-test-key');
    const engine = h.engine({});
    const held = () => spSim.orders.get(ID)!;

    await step(engine, orderChange(...steps.created()));
    expect(held()).toMatchObject({
      externalOrderId: '1001', externalCustomerId: 'c1', status: 'INITIALIZED', totalCost: 30.01, currency: 'EUR',
      email: 'anna@example.com', phone: '46700000000', firstName: 'Anna', lastName: 'Åberg', shipping: 10.01,
      date: '2026-11-01T10:00:00+00:00', source: 'shopify', deliveryMethod: 'Standard', paymentMethod: 'card',
    });
    expect(held().items).toEqual([expect.objectContaining({ externalItemId: '7001', name: 'Mug', quantity: 2, cost: 20, url: `https://demo-shop.myshopify.com/` })]);

    await step(engine, orderChange(...steps.updated()));
    expect(held()).toMatchObject({ status: 'IN_PROGRESS', totalCost: 50.01, email: 'anna.new@example.com', shipping: 20.01 });
    expect(held().items).toEqual([expect.objectContaining({ quantity: 3, cost: 30 })]);

    await step(engine, orderChange(...steps.cancelled()));
    expect(held()).toMatchObject({ status: 'CANCELLED', totalCost: 50.01 });

    await step(engine, deleteChange(ID, '2026-11-01T10:04:00.000Z'));
    expect(spSim.orders.has(ID)).toBe(false);
    expect(spSim.state.deletedOrders).toEqual([ID]);
  });

  it('esputnik-events: orderCreated, orderUpdated, orderCancelled, and orderCancelled for the delete, each with the newest order', async () => {
    spSim = await startEsputnikSimulator({ port: 0, contacts: ['anna@example.com', 'anna.new@example.com'] });
    await h.addDestination('esputnik-events', { baseUrl: spSim.baseUrl }, 'esputnik-test-key');
    const engine = h.engine({});
    const param = (i: number, name: string) => spSim.events[i]!.params.find((p) => p.name === name)?.value;

    await step(engine, orderChange(...steps.created()));
    await step(engine, orderChange(...steps.updated()));
    await step(engine, orderChange(...steps.cancelled()));
    await step(engine, deleteChange(ID, '2026-11-01T10:04:00.000Z'));

    expect(spSim.events.map((e) => [e.eventTypeKey, e.keyValue, e.result])).toEqual([
      ['orderCreated', 'anna@example.com', 'applied'],
      ['orderUpdated', 'anna.new@example.com', 'applied'],
      ['orderCancelled', 'anna.new@example.com', 'applied'],
      ['orderCancelled', 'anna.new@example.com', 'applied'],
    ]);
    expect([param(0, 'externalOrderId'), param(0, 'totalCost'), param(0, 'status'), param(0, 'currency')]).toEqual(['1001', '30.01', 'INITIALIZED', 'EUR']);
    expect([param(1, 'totalCost'), param(1, 'status')]).toEqual(['50.01', 'IN_PROGRESS']);
    expect([param(2, 'status'), param(3, 'status')]).toEqual(['CANCELLED', 'CANCELLED']);
    expect(JSON.parse(param(1, 'items')!)).toEqual([expect.objectContaining({ externalItemId: '7001', quantity: 3 })]);
    expect(spSim.eventOrders.get(ID)).toMatchObject({ status: 'CANCELLED', history: ['orderCreated', 'orderUpdated', 'orderCancelled', 'orderCancelled'] });
  });
});
