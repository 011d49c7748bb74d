import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildOrder } from '../../mappings/esputnik/fixtures.ts';
import { esputnikEventsSettings, esputnikEventsStore, esputnikOrdersSettings, esputnikOrdersStore } from './destination.ts';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from './simulator.ts';
import type { SimEvent } from './simulator-state.ts';
import { contextFor, itemFor } from './test-support.ts';

const KEY = 'events-key-456';
let sim: RunningEsputnikSimulator;
let frozen = 0;

beforeAll(async () => {
  sim = await startEsputnikSimulator({ apiKeys: [KEY], now: () => frozen });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.reset();
  sim.state.addContact('jane@example.com');
  sim.faults.clear();
  frozen += 10_000;
});

const ctx = (secret = KEY, timeoutMs = 2000, settings: Record<string, unknown> = {}) =>
  contextFor(esputnikEventsSettings, { baseUrl: sim.baseUrl, ...settings }, secret, timeoutMs);
const paramsOf = (e: SimEvent | undefined) => Object.fromEntries((e?.params ?? []).map((p) => [p.name, p.value]));

describe('eSputnik events store over HTTP', () => {
  it('declares the documented events limit', () => {
    expect(esputnikEventsStore.kind).toBe('esputnik-events');
    expect(esputnikEventsStore.requestsPerSecond).toBe(350);
    expect(esputnikEventsSettings.parse({})).toMatchObject({ baseUrl: 'https://esputnik.com/api', deletedOrders: 'cancel' });
  });

  it('records created → updated → cancelled → deleted as the right events, field by field', async () => {
    const placed = buildOrder({
      orderId: '2001', orderNumber: '#2001',
      lines: [{ unitPrice: 12900, quantity: 2, discount: 1000, productId: '200600', name: 'Super Device' }],
      shipping: 1000,
    });
    expect(await esputnikEventsStore.deliver([itemFor(placed, ['order.created'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'orderCreated' }]);
    const created = sim.events[0];
    expect(created).toMatchObject({ eventTypeKey: 'orderCreated', keyValue: 'jane@example.com', result: 'applied' });
    const p = paramsOf(created);
    expect(p).toEqual({
      email: 'jane@example.com', // customer.email
      phone: '380501234567', // customer.phone, digits only
      externalOrderId: '2001', // source.orderId
      externalCustomerId: '7001', // customer.id
      orderNumber: '#2001', // source.orderNumber
      totalCost: '258.00', // totals.total
      status: 'INITIALIZED', // placed
      date: '2026-03-08T09:30:00+00:00', // createdAt
      currency: 'USD',
      firstName: 'Jane',
      lastName: 'Doe',
      shipping: '10.00',
      discount: '10.00',
      taxes: '0.00',
      deliveryMethod: 'express',
      paymentMethod: 'card',
      deliveryAddress: 'First str. 1, 01001 Kyiv, UA',
      source: 'shopify',
      items: p.items,
      products: p.products,
    });
    const item = {
      externalItemId: '200600', name: 'Super Device', category: 'devices', quantity: 2, cost: 248,
      url: 'https://shop.example.com/p/1', imageUrl: 'https://cdn.example.com/p/1.png',
    };
    expect(JSON.parse(p.items!)).toEqual([item]);
    expect(JSON.parse(p.products!)).toEqual({ array: [item] });
    expect(sim.eventOrders.get('2001')).toMatchObject({ status: 'INITIALIZED', items: [item] });

    const paid = buildOrder({ orderId: '2001', status: 'paid', lines: [{ unitPrice: 12900, quantity: 1, productId: '200600' }] });
    expect(await esputnikEventsStore.deliver([itemFor(paid, ['order.updated', 'order.paid'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'orderUpdated' }]);
    expect(sim.events[1]?.eventTypeKey).toBe('orderUpdated');
    expect(paramsOf(sim.events[1])).toMatchObject({ externalOrderId: '2001', status: 'IN_PROGRESS', totalCost: '129.00', shipping: '0.00' });

    const cancelled = buildOrder({ orderId: '2001', status: 'cancelled', lines: [{ unitPrice: 12900, productId: '200600' }] });
    await esputnikEventsStore.deliver([itemFor(cancelled, ['order.cancelled'])], ctx());
    expect(sim.events[2]?.eventTypeKey).toBe('orderCancelled');
    expect(paramsOf(sim.events[2])).toMatchObject({ externalOrderId: '2001', status: 'CANCELLED' });

    const deleted = buildOrder({ orderId: '2001', status: 'deleted', lines: [{ unitPrice: 12900, productId: '200600' }] });
    await esputnikEventsStore.deliver([itemFor(deleted, ['order.deleted'])], ctx());
    expect(sim.events.map((e) => `${e.eventTypeKey}:${e.result}`)).toEqual([
      'orderCreated:applied', 'orderUpdated:applied', 'orderCancelled:applied', 'orderCancelled:applied',
    ]);
    expect(sim.eventOrders.get('2001')).toMatchObject({
      status: 'CANCELLED', history: ['orderCreated', 'orderUpdated', 'orderCancelled', 'orderCancelled'],
    });
    expect(sim.orders.size).toBe(0); // the events API never touches v1/orders

    // with deletedOrders 'ignore' a deletion sends nothing
    const before = sim.events.length;
    expect(await esputnikEventsStore.deliver([itemFor(deleted, ['order.deleted'])], ctx(KEY, 2000, { deletedOrders: 'ignore' })))
      .toEqual([{ outcome: 'delivered', detail: 'not sent: nothing to send for order.deleted' }]);
    expect(sim.events.length).toBe(before);
  });

  it('sends one request per event, in order, and cartUpdated for carts', async () => {
    const order = buildOrder({ orderId: '3001', status: 'fulfilled' });
    const cart = buildOrder({ orderId: 'cart77', status: 'abandoned', lines: [{ unitPrice: 4550, productId: 'WS01-L-Green' }] });
    const outcomes = await esputnikEventsStore.deliver([
      itemFor(order, ['order.created', 'order.paid', 'order.fulfilled', 'order.delivered']),
      itemFor(cart, ['checkout.abandoned']),
    ], ctx());
    expect(outcomes).toEqual([
      { outcome: 'delivered', detail: 'orderCreated, orderUpdated, orderDelivered' },
      { outcome: 'delivered', detail: 'cartUpdated' },
    ]);
    expect(sim.eventOrders.get('3001')?.history).toEqual(['orderCreated', 'orderUpdated', 'orderDelivered']);
    expect(sim.state.carts.get('cart77')).toMatchObject({
      products: [{ productId: 'WS01-L-Green', quantity: 1, price: 45.5, name: 'Product 1', category: 'devices' }],
      currencyCode: 'USD', contact: 'jane@example.com', updates: 1,
    });
    expect(sim.state.requests.get('POST /v1/event')).toBe(4);
  });

  it('resync sends a single orderUpdated that creates the order', async () => {
    const order = buildOrder({ orderId: '4001', status: 'completed' });
    await esputnikEventsStore.deliver([itemFor(order, ['order.created', 'order.delivered'], 'resync')], ctx());
    expect(sim.events.map((e) => e.eventTypeKey)).toEqual(['orderUpdated']);
    expect(sim.eventOrders.get('4001')?.status).toBe('DELIVERED');
  });

  it('delivers the good items of a batch and rejects the one without a contact key', async () => {
    const good = buildOrder({ orderId: '5001' });
    const nobody = buildOrder({ orderId: '5002', customer: { email: null, phone: null }, billingPhone: null });
    const guest = buildOrder({ orderId: '5003', customer: null, billingPhone: '+380 50 111 2233' });
    sim.state.addContact('380501112233');
    const outcomes = await esputnikEventsStore.deliver([itemFor(good, ['order.created']), itemFor(nobody, ['order.created']), itemFor(guest, ['order.created'])], ctx());
    expect(outcomes).toEqual([
      { outcome: 'delivered', detail: 'orderCreated' },
      { outcome: 'rejected', error: 'eSputnik events need a contact key (email or phone); the order has neither' },
      { outcome: 'delivered', detail: 'orderCreated' },
    ]);
    expect([...sim.eventOrders.keys()].sort()).toEqual(['5001', '5003']);
    expect(sim.events.find((e) => paramsOf(e).externalOrderId === '5003')?.keyValue).toBe('380501112233');
  });

  it('retries with the store text when eSputnik refuses the key (the key, not the events, is wrong)', async () => {
    const [o] = await esputnikEventsStore.deliver([itemFor(buildOrder(), ['order.created', 'order.paid'])], ctx('bad-key'));
    expect(o).toEqual({ outcome: 'retry', error: 'orderCreated (1 of 2): eSputnik 401: {"message":"Unauthorized"}' });
  });

  it('a contact created through the orders store makes its events count', async () => {
    const order = buildOrder({ orderId: '6001', customer: { email: 'new@example.com' } });
    await esputnikEventsStore.deliver([itemFor(order, ['order.created'])], ctx());
    expect(sim.events[0]).toMatchObject({ result: 'ignored', reason: 'contact not found' });
    await esputnikOrdersStore.deliver([itemFor(order)], contextFor(esputnikOrdersSettings, { baseUrl: sim.baseUrl }, KEY));
    await esputnikEventsStore.deliver([itemFor(order, ['order.created'])], ctx());
    expect(sim.events[1]?.result).toBe('applied');
    expect(sim.orders.get('6001')?.status).toBe('INITIALIZED');
    expect(sim.eventOrders.get('6001')?.status).toBe('INITIALIZED');
  });

  describe('classifies transient failures as retry', () => {
    const one = () => [itemFor(buildOrder({ orderId: 'R2' }), ['order.created'])];

    it('5xx', async () => {
      sim.faults.set({ serverErrorRate: 1 });
      const [o] = await esputnikEventsStore.deliver(one(), ctx());
      expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('orderCreated (1 of 1): eSputnik 503') });
    });

    it('429 with Retry-After', async () => {
      sim.faults.set({ throttleRate: 1, retryAfterSeconds: 3 });
      const [o] = await esputnikEventsStore.deliver(one(), ctx());
      expect(o).toMatchObject({ outcome: 'retry', retryAfterMs: 3000 });
    });

    it('429 from the documented 350 req/s events limit', async () => {
      const tight = await startEsputnikSimulator({ apiKeys: [KEY], contacts: ['jane@example.com'], rateLimits: { events: 2 }, now: () => 0 });
      try {
        const c = contextFor(esputnikEventsSettings, { baseUrl: tight.baseUrl }, KEY);
        const [o] = await esputnikEventsStore.deliver([itemFor(buildOrder(), ['order.created', 'order.paid', 'order.cancelled'])], c);
        expect(o).toMatchObject({ outcome: 'retry', retryAfterMs: 1000, error: expect.stringContaining('orderCancelled (3 of 3)') });
        expect(tight.events).toHaveLength(2);
      } finally {
        await tight.close();
      }
    });

    it('timeout', async () => {
      sim.faults.set({ slowRate: 1, slowMs: 600 });
      const [o] = await esputnikEventsStore.deliver(one(), ctx(KEY, 150));
      expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('timed out') });
      await new Promise((r) => setTimeout(r, 700)); // let the slow handler finish before the next test
    });

    it('dropped connection', async () => {
      sim.faults.set({ dropRate: 1 });
      const [o] = await esputnikEventsStore.deliver(one(), ctx());
      expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('eSputnik did not answer') });
      expect(sim.events).toHaveLength(0);
    });
  });
});
