// Done-criterion 1: created → updated → cancelled → deleted ends in the right state at each store (README mapping tables).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventType, Order } from '../../src/core/canonical/index.ts';
import { startEngageSimulator, type RunningEngageSimulator } from '../../connectors/stores/engage/simulator/index.ts';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from '../../connectors/stores/esputnik/simulator/index.ts';
import { startExpertSenderSimulator, type RunningExpertSenderSimulator } from '../../connectors/stores/expertsender/simulator/index.ts';
import { startVoyadoSimulator, type RunningVoyadoSimulator } from '../../connectors/stores/voyado/simulator/index.ts';
import { createHarness, deleteChange, orderChange, storeOrder, type Harness } from './harness.ts';
import { recordingFetch } from './recordingFetch.ts';

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
  let voyadoSim: RunningVoyadoSimulator;
  afterEach(async () => {
    await Promise.all([engageSim?.close(), esSim?.close(), spSim?.close(), voyadoSim?.close()]);
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
    // A cancellation is more than a status (its reason, refunds): the whole order again (README, delivery rule 1).
    expect(esSim.calls.slice(before)).toEqual([expect.objectContaining({ method: 'POST', path: '/orders' })]);
    expect(held().orderAttributes).toEqual(expect.arrayContaining([{ name: 'cancelReason', value: 'customer' }]));

    await step(engine, deleteChange(ID, '2026-11-01T10:04:00.000Z'));
    expect(held().isDeleted).toBe(true);
    expect(esSim.calls.at(-1)).toEqual({ method: 'DELETE', path: '/orders/1001', status: 200 });
  });

  it('esputnik-orders: externalOrderId, status table, totalCost, currency, email, items, DELETE', async () => {
    spSim = await startEsputnikSimulator({ port: 0 });
    await h.addDestination('esputnik-orders', { baseUrl: spSim.baseUrl, itemImageUrl: 'https://cdn.example.com/shop-logo.png' }, 'esputnik-test-key');
    const engine = h.engine({});
    const held = () => spSim.orders.get(ID)!;

    await step(engine, orderChange(...steps.created()));
    expect(held()).toMatchObject({
      externalOrderId: '1001', externalCustomerId: 'c1', status: 'INITIALIZED', totalCost: 30.01, currency: 'EUR',
      email: 'anna@example.com', phone: '46700000000', firstName: 'Anna', lastName: 'Åberg', shipping: 10.01,
      date: '2026-11-01T10:00:00+00:00', source: 'shopify', deliveryMethod: 'Standard', paymentMethod: 'card',
    });
    expect(held().items).toEqual([expect.objectContaining({
      externalItemId: '7001', name: 'Mug', quantity: 2, cost: 20, url: `https://demo-shop.myshopify.com/`, imageUrl: 'https://cdn.example.com/shop-logo.png',
    })]);

    await step(engine, orderChange(...steps.updated()));
    expect(held()).toMatchObject({ status: 'IN_PROGRESS', totalCost: 50.01, email: 'anna.new@example.com', shipping: 20.01 });
    expect(held().items).toEqual([expect.objectContaining({ quantity: 3, cost: 30 })]);

    await step(engine, orderChange(...steps.cancelled()));
    expect(held()).toMatchObject({ status: 'CANCELLED', totalCost: 50.01 });

    await step(engine, deleteChange(ID, '2026-11-01T10:04:00.000Z'));
    expect(spSim.orders.has(ID)).toBe(false);
    expect(spSim.state.deletedOrders).toEqual([ID]);
  });

  it('esputnik-events: the new buyer imported, then orderCreated, orderUpdated, orderCancelled, each with the newest order; the delete of a cancelled order sends nothing more', async () => {
    spSim = await startEsputnikSimulator({ port: 0, contacts: ['anna.new@example.com'] });
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
    ]);
    expect([param(0, 'externalOrderId'), param(0, 'totalCost'), param(0, 'status'), param(0, 'currency')]).toEqual(['1001', '30.01', 'INITIALIZED', 'EUR']);
    expect([param(1, 'totalCost'), param(1, 'status')]).toEqual(['50.01', 'IN_PROGRESS']);
    expect(param(2, 'status')).toBe('CANCELLED');
    expect(JSON.parse(param(1, 'items')!)).toEqual([expect.objectContaining({ externalItemId: '7001', quantity: 3 })]);
    expect(spSim.eventOrders.get(ID)).toMatchObject({ status: 'CANCELLED', history: ['orderCreated', 'orderUpdated', 'orderCancelled'] });
    // anna@example.com was new to eSputnik: her order went in through v1/orders first, so the event was applied.
    expect(spSim.orders.get(ID)).toBeDefined();
  });

  it('voyado: POST (ConfirmOrder embedded) → PUT → change-status (ConfirmCancellation embedded) → DELETE; the stored order matches the README table; a resync carries no action', async () => {
    // Jobs run only when polled, so each step is finished when the engine settles it.
    voyadoSim = await startVoyadoSimulator({ port: 0, processAfterMs: null });
    await h.addDestination('voyado', { baseUrl: voyadoSim.baseUrl, jobPollIntervalMs: 0 }, voyadoSim.apiKey);
    const recorder = recordingFetch(5_000);
    const engine = h.engine({ fetch: recorder.fetch });
    const held = () => voyadoSim.orders.get(ID);
    const writes = () => recorder.sent.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${new URL(r.url).pathname.replace('/api/v3', '')} ${r.status}`);

    await step(engine, orderChange(...steps.created()));
    expect(held()).toMatchObject({ orderId: '1001', status: 'InProgress', payments: { total: 30.01 }, lastChangedAt: '2026-11-01T10:01:00.000Z' });

    await step(engine, orderChange(...steps.updated()));
    expect(held()).toMatchObject({ status: 'InProgress', payments: { total: 50.01 }, contact: { matchKey: 'anna.new@example.com' } });

    await step(engine, orderChange(...steps.cancelled()));
    // Every field of the README mapping table, as Voyado stored it (the embedded action is not part of the order).
    expect(held()).toEqual({
      orderId: '1001',
      contact: { matchKey: 'anna.new@example.com', matchKeyType: 'Email' },
      externalStoreId: 'demo-shop.myshopify.com',
      status: 'Cancelled',
      externalStatus: 'pending', // platformStatus of the order (change-status carries it)
      currencyCode: 'EUR',
      channel: 'Ecom',
      createdAt: '2026-11-01T10:00:00.000Z',
      lastChangedAt: CANCELLED_AT,
      lineItems: {
        items: [{
          id: '1001-1', sku: 'SKU-1', productId: '7001', variantId: '8001', name: 'Mug', quantity: 3,
          unitPrice: 10, grossAmount: 30, discountAmount: 0, totalAmount: 30, taxAmount: 0,
        }],
        subTotal: 30,
      },
      payments: { items: [{ method: 'card', amount: 50.01 }], total: 50.01 },
      fees: { items: [{ type: 'Shipping', description: 'Standard', amount: 20.01 }], total: 20.01 },
      delivery: { method: 'Standard' },
      billingAddress: {
        firstname: 'Anna', lastname: 'Åberg', street: 'Drottninggatan 1', zipCode: '111 51', city: 'Stockholm',
        countryCode: 'SE', phone: '+46 70 000 00 00', email: 'anna.new@example.com',
      },
    });

    await step(engine, deleteChange(ID, '2026-11-01T10:04:00.000Z'));
    expect(held()).toBeUndefined();
    expect(writes()).toEqual([
      'POST /orders 202', 'PUT /orders/1001 202', 'POST /orders/1001/change-status 202', 'DELETE /orders/1001 202',
    ]);

    // Live webhooks: the first action of each item rode on its write; the update and the delete sent none.
    expect(voyadoSim.storage.actions).toEqual([
      { orderId: '1001', action: 'ConfirmOrder', language: 'sv', via: 'embedded', jobKind: 'create', data: { step: 'created', orderId: '1001', orderNumber: '#1001' } },
      {
        orderId: '1001', action: 'ConfirmCancellation', language: 'sv', via: 'embedded', jobKind: 'change-status',
        data: { step: 'cancelled', orderId: '1001', orderNumber: '#1001', cancelReason: 'customer' },
      },
    ]);
    const bodyOf = (method: string, path: string) => JSON.parse(recorder.sent.find((r) => r.method === method && r.url.endsWith(path))!.body);
    expect(bodyOf('POST', '/orders').orderAction).toMatchObject({ action: 'ConfirmOrder' });
    expect(bodyOf('PUT', '/orders/1001')).not.toHaveProperty('orderAction');
    expect(bodyOf('POST', '/orders/1001/change-status')).toMatchObject({ status: 'Cancelled', orderAction: { action: 'ConfirmCancellation' } });

    // A resync is history: even with order.created it is stored without any action.
    const sentBefore = recorder.sent.length;
    await step(engine, { kind: 'order', order: storeOrder('1002', 1), events: ['order.created'], origin: 'resync' });
    expect(voyadoSim.orders.get('1002')).toMatchObject({ orderId: '1002', status: 'InProgress', payments: { total: 30.01 } });
    const resync = recorder.sent.slice(sentBefore).filter((r) => r.method === 'POST');
    expect(resync.map((r) => new URL(r.url).pathname)).toEqual(['/api/v3/orders']);
    expect(JSON.parse(resync[0]!.body)).not.toHaveProperty('orderAction');
    expect(voyadoSim.storage.actions).toHaveLength(2);
  });
});
