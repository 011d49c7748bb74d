import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildOrder, deletedVersion } from '../../../mappings/stores/esputnik/fixtures.ts';
import { esputnikEventsSettings, esputnikEventsStore, esputnikOrdersSettings, esputnikOrdersStore } from './index.ts';
import { prepareEsputnikOrder } from './prepare.ts';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from './simulator/index.ts';
import type { SimEvent } from './simulator/state.ts';
import { contextFor, itemFor, shopifyTestOrder } from './testSupport.ts';
import { keyRateGroup } from './settings.ts';
import type { StoreFetch, StoreRequest } from '../../../src/core/delivery/destination.ts';

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
    expect(esputnikEventsSettings.parse({})).toMatchObject({
      baseUrl: 'https://esputnik.com/api', deletedOrders: 'cancel', importContacts: true, sendTestOrders: false,
    });
    // strict settings: the new keys are declared, a typo is still refused
    expect(esputnikEventsSettings.safeParse({ importContact: false }).success).toBe(false);
  });

  it('records created → updated → cancelled → deleted as the right events, field by field', async () => {
    const placed = buildOrder({
      orderId: '2001', orderNumber: '#2001',
      lines: [{ unitPrice: 12900, quantity: 2, discount: 1000, productId: '200600', name: 'Super Device' }],
      shipping: 1000,
    });
    expect(await esputnikEventsStore.deliver([itemFor(placed, ['order.created'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'orderCreated (contact imported via v1/orders)' }]);
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

    const cancelled = buildOrder({
      orderId: '2001', status: 'cancelled', cancelledAt: '2026-03-08T12:00:00.000Z', lines: [{ unitPrice: 12900, productId: '200600' }],
    });
    await esputnikEventsStore.deliver([itemFor(cancelled, ['order.cancelled'])], ctx());
    expect(sim.events[2]?.eventTypeKey).toBe('orderCancelled');
    expect(paramsOf(sim.events[2])).toMatchObject({ externalOrderId: '2001', status: 'CANCELLED' });

    // Deleting the cancelled order: its orderCancelled went out already, a second would fire the workflow again.
    expect(await esputnikEventsStore.deliver([itemFor(deletedVersion(cancelled), ['order.deleted'])], ctx())).toEqual([{
      outcome: 'delivered', detail: 'skipped: the order was cancelled before; order.deleted does not send orderCancelled again',
    }]);
    expect(sim.events.map((e) => `${e.eventTypeKey}:${e.result}`)).toEqual([
      'orderCreated:applied', 'orderUpdated:applied', 'orderCancelled:applied',
    ]);
    expect(sim.eventOrders.get('2001')).toMatchObject({ status: 'CANCELLED', history: ['orderCreated', 'orderUpdated', 'orderCancelled'] });
    // the events API writes v1/orders only to import the contact (the order as it was created)
    expect([...sim.orders.values()]).toEqual([expect.objectContaining({ externalOrderId: '2001', status: 'INITIALIZED' })]);

    // with deletedOrders 'ignore' a deletion sends nothing
    const live = buildOrder({ orderId: '2002' });
    await esputnikEventsStore.deliver([itemFor(live, ['order.created'])], ctx());
    const before = sim.events.length;
    expect(await esputnikEventsStore.deliver([itemFor(deletedVersion(live), ['order.deleted'])], ctx(KEY, 2000, { deletedOrders: 'ignore' })))
      .toEqual([{ outcome: 'delivered', detail: 'skipped: nothing to send for order.deleted' }]);
    expect(sim.events.length).toBe(before);
  });

  it('cancels a deleted live order once, and a cancellation still owed in the same item once', async () => {
    const live = buildOrder({ orderId: '2101' });
    await esputnikEventsStore.deliver([itemFor(live, ['order.created'])], ctx());
    expect(await esputnikEventsStore.deliver([itemFor(deletedVersion(live), ['order.deleted'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'orderCancelled' }]);
    expect(sim.eventOrders.get('2101')).toMatchObject({ status: 'CANCELLED', history: ['orderCreated', 'orderCancelled'] });

    // cancelled and deleted before either was delivered: the one item sends the cancellation, once
    const cancelled = buildOrder({ orderId: '2102', status: 'cancelled', cancelledAt: '2026-03-08T12:00:00.000Z' });
    await esputnikEventsStore.deliver([itemFor(buildOrder({ orderId: '2102' }), ['order.created'])], ctx());
    expect(await esputnikEventsStore.deliver([itemFor(deletedVersion(cancelled), ['order.cancelled', 'order.deleted'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'orderCancelled' }]);
    expect(sim.eventOrders.get('2102')?.history).toEqual(['orderCreated', 'orderCancelled']);
  });

  it('sends one request per event, in order, and cartUpdated for carts', async () => {
    const order = buildOrder({ orderId: '3001', status: 'fulfilled' });
    const cart = buildOrder({ orderId: 'cart77', status: 'abandoned', lines: [{ unitPrice: 4550, productId: 'WS01-L-Green' }] });
    const outcomes = await esputnikEventsStore.deliver([
      itemFor(order, ['order.created', 'order.paid', 'order.fulfilled', 'order.delivered']),
      itemFor(cart, ['checkout.abandoned']),
    ], ctx());
    expect(outcomes).toEqual([
      { outcome: 'delivered', detail: 'orderCreated, orderUpdated, orderDelivered (contact imported via v1/orders)' },
      { outcome: 'delivered', detail: 'cartUpdated (contact imported via v1/orders)' },
    ]);
    expect(sim.eventOrders.get('3001')?.history).toEqual(['orderCreated', 'orderUpdated', 'orderDelivered']);
    expect(sim.state.carts.get('cart77')).toMatchObject({
      products: [{ productId: 'WS01-L-Green', quantity: 1, price: 45.5, name: 'Product 1', category: 'devices' }],
      currencyCode: 'USD', contact: 'jane@example.com', updates: 1,
    });
    expect(sim.state.requests.get('POST /v1/event')).toBe(4);
    // both contacts imported in one v1/orders request; the cart as an abandoned-cart order (seed 004)
    expect(sim.state.requests.get('POST /v1/orders')).toBe(1);
    expect(sim.orders.get('cart77')?.status).toBe('ABANDONED_SHOPPING_CART');
    expect(sim.orders.get('3001')?.status).toBe('DELIVERED');
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
      { outcome: 'delivered', detail: 'orderCreated (contact imported via v1/orders)' },
      { outcome: 'rejected', error: 'eSputnik events need a contact key (email or phone); the order has neither' },
      { outcome: 'delivered', detail: 'orderCreated (contact imported via v1/orders)' },
    ]);
    expect([...sim.eventOrders.keys()].sort()).toEqual(['5001', '5003']);
    expect(sim.events.find((e) => paramsOf(e).externalOrderId === '5003')?.keyValue).toBe('380501112233');
  });

  it('retries with the store text when eSputnik refuses the key (the key, not the events, is wrong)', async () => {
    const [o] = await esputnikEventsStore.deliver([itemFor(buildOrder(), ['order.created', 'order.paid'])], ctx('bad-key'));
    expect(o).toEqual({ outcome: 'retry', error: 'contact import (v1/orders): eSputnik 401: {"message":"Unauthorized"}' });
    const [later] = await esputnikEventsStore.deliver([itemFor(buildOrder(), ['order.paid', 'order.delivered'])], ctx('bad-key'));
    expect(later).toEqual({ outcome: 'retry', error: 'orderUpdated (1 of 2): eSputnik 401: {"message":"Unauthorized"}' });
    expect(sim.events).toHaveLength(0);
  });

  it("imports a new buyer through v1/orders first, so the buyer's orderCreated is applied, not ignored", async () => {
    const order = buildOrder({ orderId: '6001', customer: { id: '8001', email: 'new@example.com', phone: null } });
    expect(sim.state.hasContact('new@example.com')).toBe(false);
    expect(await esputnikEventsStore.deliver([itemFor(order, ['order.created', 'order.paid'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'orderCreated, orderUpdated (contact imported via v1/orders)' }]);
    expect(sim.events.map((e) => `${e.eventTypeKey}:${e.result}`)).toEqual(['orderCreated:applied', 'orderUpdated:applied']);
    expect(sim.eventOrders.get('6001')).toMatchObject({ status: 'INITIALIZED', history: ['orderCreated', 'orderUpdated'] });
    // the import is the order as the esputnik-orders store sends it (same mapping, same prepare)
    const asOrdersStore = prepareEsputnikOrder(itemFor(order), esputnikOrdersSettings.parse({}));
    expect(asOrdersStore.action).toBe('upsert');
    expect(sim.orders.get('6001')).toEqual(JSON.parse((asOrdersStore as { json: string }).json));
    const state = (await (await fetch(`${sim.url}/_sim/state`)).json()) as Record<string, unknown>;
    expect(Object.keys(state)).toEqual(['orders', 'deletedOrders', 'events', 'eventOrders', 'carts', 'contacts']);
    expect(state.contacts).toEqual(expect.arrayContaining(['8001', 'new@example.com']));
    // later items of the same order need no import
    await esputnikEventsStore.deliver([itemFor({ ...order, status: 'completed' }, ['order.delivered'])], ctx());
    expect(sim.state.requests.get('POST /v1/orders')).toBe(1);
  });

  it('with importContacts off, a new buyer\'s events are ignored as before; the orders store can create the contact', async () => {
    const off = ctx(KEY, 2000, { importContacts: false });
    const order = buildOrder({ orderId: '6002', customer: { id: null, email: 'newer@example.com' } });
    expect(await esputnikEventsStore.deliver([itemFor(order, ['order.created'])], off)).toEqual([{ outcome: 'delivered', detail: 'orderCreated' }]);
    expect(sim.events[0]).toMatchObject({ result: 'ignored', reason: 'contact not found' });
    expect(sim.state.requests.get('POST /v1/orders')).toBeUndefined();
    await esputnikOrdersStore.deliver([itemFor(order)], contextFor(esputnikOrdersSettings, { baseUrl: sim.baseUrl }, KEY));
    await esputnikEventsStore.deliver([itemFor(order, ['order.created'])], off);
    expect(sim.events[1]?.result).toBe('applied');
    expect(sim.eventOrders.get('6002')?.status).toBe('INITIALIZED');
  });

  it('imports the buyer of an abandoned checkout (cartUpdated) as an ABANDONED_SHOPPING_CART order', async () => {
    const cart = buildOrder({ orderId: 'chk-6003', status: 'abandoned', customer: { id: null, email: 'cart@example.com' } });
    expect(await esputnikEventsStore.deliver([itemFor(cart, ['checkout.abandoned'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'cartUpdated (contact imported via v1/orders)' }]);
    expect(sim.events[0]).toMatchObject({ eventTypeKey: 'cartUpdated', result: 'applied' });
    expect(sim.orders.get('chk-6003')?.status).toBe('ABANDONED_SHOPPING_CART');
    expect(sim.state.carts.get('chk-6003')?.contact).toBe('cart@example.com');
  });

  it('when the checkout is completed, deletes the cart order its import made and empties the cart', async () => {
    const cart = buildOrder({ orderId: 'chk-6004', status: 'abandoned', customer: { id: null, email: 'cart2@example.com' } });
    await esputnikEventsStore.deliver([itemFor(cart, ['checkout.abandoned'])], ctx());
    expect(sim.orders.get('chk-6004')?.status).toBe('ABANDONED_SHOPPING_CART');
    const completed = { ...cart, completedAt: '2026-03-02T10:00:00.000Z' };
    expect(await esputnikEventsStore.deliver([itemFor(completed, ['cart.updated'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'cartUpdated' }]);
    expect(sim.orders.get('chk-6004')).toBeUndefined();
    expect(paramsOf(sim.events.at(-1)).products).toBeUndefined(); // the emptied cart
    // A completed checkout never imported: the delete finds nothing, which is fine.
    const never = { ...buildOrder({ orderId: 'chk-6005', status: 'abandoned' }), completedAt: '2026-03-02T10:00:00.000Z' };
    expect((await esputnikEventsStore.deliver([itemFor(never, ['cart.updated'])], ctx()))[0]).toMatchObject({ outcome: 'delivered' });
  });

  it('paces its v1/orders requests (imports, cart deletions) in the budget esputnik-orders has on the key, its events in its own', async () => {
    const seen: Array<[string, StoreRequest['budget']]> = [];
    const base = ctx();
    const recording = { ...base, fetch: ((url, init) => { seen.push([`${init.method} ${new URL(url).pathname}`, init.budget]); return base.fetch(url, init); }) as StoreFetch };
    const cart = buildOrder({ orderId: 'chk-6010', status: 'abandoned', customer: { id: null, email: 'cart3@example.com' } });
    await esputnikEventsStore.deliver([itemFor(cart, ['checkout.abandoned'])], recording);
    await esputnikEventsStore.deliver([itemFor({ ...cart, completedAt: '2026-03-02T10:00:00.000Z' }, ['cart.updated'])], recording);
    const ordersBudget = { kind: 'esputnik-orders', group: keyRateGroup(null, KEY), perSecond: 200 };
    expect(esputnikOrdersStore.rateGroup?.(esputnikOrdersSettings.parse({}), KEY)).toBe(ordersBudget.group);
    expect(seen).toEqual([
      ['POST /api/v1/orders', ordersBudget], ['POST /api/v1/event', undefined], ['DELETE /api/v1/orders', ordersBudget], ['POST /api/v1/event', undefined],
    ]);
  });

  it('does not import for events that cannot introduce a buyer (updates, deletions)', async () => {
    const paid = buildOrder({ orderId: '6004', status: 'paid' });
    await esputnikEventsStore.deliver([
      itemFor(paid, ['order.paid']), itemFor(deletedVersion(paid), ['order.created', 'order.deleted']),
    ], ctx());
    expect(sim.state.requests.get('POST /v1/orders')).toBeUndefined();
  });

  it('still sends the events when eSputnik lists the imported order as failed, and says so', async () => {
    // a line eSputnik refuses (quantity 0): the order fails in v1/orders, the events do not check items
    const order = buildOrder({ orderId: '6005', customer: { email: 'odd@example.com' }, lines: [{ unitPrice: 1000, quantity: 0 }] });
    const [o] = await esputnikEventsStore.deliver([itemFor(order, ['order.created'])], ctx());
    expect(o).toEqual({
      outcome: 'delivered',
      detail: 'orderCreated (contact import failed, eSputnik ignores these events if the contact is new: '
        + 'eSputnik refused order 6005: items[0].quantity must be a positive number)',
    });
    expect(sim.orders.size).toBe(0);
    expect(sim.events[0]).toMatchObject({ eventTypeKey: 'orderCreated', result: 'ignored', reason: 'contact not found' });
  });

  it('retries an item whose import must be retried without sending an event; others of the batch go on', async () => {
    // the documented 200 req/s of v1/orders exhausted (0 here); events keep their own budget
    const tight = await startEsputnikSimulator({ apiKeys: [KEY], contacts: ['jane@example.com'], rateLimits: { general: 0 }, now: () => 0 });
    try {
      const c = contextFor(esputnikEventsSettings, { baseUrl: tight.baseUrl }, KEY);
      const outcomes = await esputnikEventsStore.deliver([
        itemFor(buildOrder({ orderId: '6006' }), ['order.created', 'order.paid']),
        itemFor(buildOrder({ orderId: '6007', status: 'paid' }), ['order.paid']),
      ], c);
      expect(outcomes).toEqual([
        { outcome: 'retry', retryAfterMs: 1000, error: 'contact import (v1/orders): eSputnik 429: {"message":"Too many requests: limit is 0 per second"}' },
        { outcome: 'delivered', detail: 'orderUpdated' },
      ]);
      expect(tight.events.map((e) => paramsOf(e).externalOrderId)).toEqual(['6007']);
    } finally {
      await tight.close();
    }
  });

  it('does not import again on the retry of an item whose import went through', async () => {
    const tight = await startEsputnikSimulator({ apiKeys: [KEY], rateLimits: { events: 0 }, now: () => 0 });
    try {
      const order = buildOrder({ orderId: '6008', customer: { email: 'retry@example.com' } });
      const c = contextFor(esputnikEventsSettings, { baseUrl: tight.baseUrl }, KEY);
      const [first] = await esputnikEventsStore.deliver([itemFor(order, ['order.created'])], c);
      expect(first).toMatchObject({ outcome: 'retry', error: expect.stringContaining('orderCreated (1 of 1): eSputnik 429'), owed: { contactImported: '6008' } });
      expect(tight.state.requests.get('POST /v1/orders')).toBe(1);
      const retry = { ...itemFor(order, ['order.created']), attempt: 2, owed: (first as { owed: unknown }).owed };
      const [second] = await esputnikEventsStore.deliver([retry], c);
      expect(second).toMatchObject({ outcome: 'retry', owed: { contactImported: '6008' } });
      expect(tight.state.requests.get('POST /v1/orders')).toBe(1);
    } finally {
      await tight.close();
    }
  });

  it('skips platform test orders (the Shopify JPY test fixture) unless sendTestOrders is on', async () => {
    const test = shopifyTestOrder();
    expect(await esputnikEventsStore.deliver([itemFor(test, ['order.created', 'order.cancelled'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'skipped: test order (sendTestOrders is off)' }]);
    expect(sim.events).toHaveLength(0);
    expect(sim.state.requests.size).toBe(0);
    const [sent] = await esputnikEventsStore.deliver([itemFor(test, ['order.created', 'order.cancelled'])], ctx(KEY, 2000, { sendTestOrders: true }));
    expect(sent).toEqual({ outcome: 'delivered', detail: 'orderCreated, orderCancelled (contact imported via v1/orders)' });
    expect(sim.eventOrders.get(test.source.orderId)).toMatchObject({ status: 'CANCELLED', params: { currency: 'JPY' } });
  });

  describe('classifies transient failures as retry', () => {
    const one = () => [itemFor(buildOrder({ orderId: 'R2' }), ['order.created'])];

    it('5xx', async () => {
      sim.faults.set({ serverErrorRate: 1 });
      const [o] = await esputnikEventsStore.deliver(one(), ctx());
      // the contact import goes first: nothing was sent, the whole item is retried
      expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('contact import (v1/orders): eSputnik 503') });
      expect(o).not.toHaveProperty('remainingEvents');
      expect(sim.events).toHaveLength(0);
      const [update] = await esputnikEventsStore.deliver([itemFor(buildOrder({ orderId: 'R2' }), ['order.paid'])], ctx());
      expect(update).toMatchObject({ outcome: 'retry', error: expect.stringContaining('orderUpdated (1 of 1): eSputnik 503') });
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
