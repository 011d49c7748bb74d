import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType } from '../../../src/core/canonical/index.ts';
import { buildOrder, deletedVersion } from './fixtures.ts';
import { DEFAULT_MAPPING_OPTIONS, esputnikItems } from './common.ts';
import { EVENT_TABLE, eventTypesFor, planEvents, recycleStateId, type EsputnikEventsOptions } from './events.ts';
import type { EsputnikEvent } from './types.ts';

const OPTIONS: EsputnikEventsOptions = { ...DEFAULT_MAPPING_OPTIONS, deletedOrders: 'cancel', includeProducts: true };

function sent(plan: ReturnType<typeof planEvents>): EsputnikEvent[] {
  if (plan.action !== 'send') throw new Error(`expected events, got ${JSON.stringify(plan)}`);
  return plan.events;
}

const paramsOf = (e: EsputnikEvent | undefined) => Object.fromEntries((e?.params ?? []).map((p) => [p.name, p.value]));

describe('canonical events → eSputnik v1/event', () => {
  it('maps every canonical event type (the README table)', () => {
    expect(Object.keys(EVENT_TABLE).sort()).toEqual([...EVENT_TYPES].sort());
    expect(EVENT_TABLE).toEqual({
      'order.created': 'orderCreated', 'order.updated': 'orderUpdated', 'order.paid': 'orderUpdated',
      'order.fulfilled': 'orderUpdated', 'order.delivered': 'orderDelivered', 'order.cancelled': 'orderCancelled',
      'order.refunded': 'orderUpdated', 'order.deleted': 'orderCancelled', 'cart.updated': 'cartUpdated',
      'checkout.abandoned': 'cartUpdated', 'customer.created': null,
    });
  });

  it('sends one event per lifecycle step, without back-to-back repeats', () => {
    const order = buildOrder({ status: 'fulfilled' });
    const types = (events: EventType[], origin: 'webhook' | 'resync' = 'webhook') =>
      eventTypesFor({ order, events, origin }, OPTIONS);
    expect(types(['order.created', 'order.paid', 'order.fulfilled'])).toEqual(['orderCreated', 'orderUpdated']);
    expect(types(['order.paid', 'order.delivered', 'order.refunded'])).toEqual(['orderUpdated', 'orderDelivered', 'orderUpdated']);
    expect(types(['order.created', 'order.cancelled'])).toEqual(['orderCreated', 'orderCancelled']);
    expect(types([])).toEqual(['orderUpdated']);
    // history never replays lifecycle triggers
    expect(types(['order.created', 'order.cancelled'], 'resync')).toEqual(['orderUpdated']);
  });

  it('names, for each event, the canonical events still owed if it does not arrive (what a retry sends)', () => {
    const events: EventType[] = ['order.created', 'order.paid', 'order.fulfilled', 'customer.created', 'order.delivered'];
    const plan = planEvents({ order: buildOrder({ status: 'fulfilled' }), events, origin: 'webhook' }, OPTIONS);
    if (plan.action !== 'send') throw new Error(`expected a send plan, got ${plan.action}`);
    expect(plan.events.map((e) => e.eventTypeKey)).toEqual(['orderCreated', 'orderUpdated', 'orderDelivered']);
    expect(plan.remaining).toEqual([events, events.slice(1), ['order.delivered']]);
  });

  it('fills the order params field by field, with items as a JSON string', () => {
    const order = buildOrder({
      orderId: '12345679', orderNumber: '#1042', status: 'paid',
      lines: [{ unitPrice: 12900, quantity: 2, discount: 1000 }], shipping: 1000,
    });
    const [event] = sent(planEvents({ order, events: ['order.created'], origin: 'webhook' }, OPTIONS));
    expect(event?.eventTypeKey).toBe('orderCreated');
    expect(event?.keyValue).toBe('jane@example.com');
    const p = paramsOf(event);
    expect(p).toMatchObject({
      email: 'jane@example.com', phone: '380501234567', externalOrderId: '12345679', externalCustomerId: '7001',
      orderNumber: '#1042', totalCost: '258.00', status: 'IN_PROGRESS', date: '2026-03-08T09:30:00+00:00',
      currency: 'USD', firstName: 'Jane', lastName: 'Doe', shipping: '10.00', discount: '10.00', taxes: '0.00',
      deliveryMethod: 'express', paymentMethod: 'card', deliveryAddress: 'First str. 1, 01001 Kyiv, UA', source: 'shopify',
    });
    expect(JSON.parse(p.items!)).toEqual(esputnikItems(order, DEFAULT_MAPPING_OPTIONS));
    expect(JSON.parse(p.items!)[0]).toMatchObject({ externalItemId: 'P1', quantity: 2, cost: 248 });
    expect(JSON.parse(p.products!)).toEqual({ array: esputnikItems(order, DEFAULT_MAPPING_OPTIONS) });
    expect(event?.params.every((x) => typeof x.value === 'string')).toBe(true);

    // Several shops in one account: customer ids carry the order id prefix (or their own).
    const prefixed = sent(planEvents({ order, events: ['order.created'], origin: 'webhook' }, { ...OPTIONS, orderIdPrefix: 'eu-' }));
    expect(paramsOf(prefixed[0])).toMatchObject({ externalOrderId: 'eu-12345679', externalCustomerId: 'eu-7001' });
  });

  it('writes JPY and KWD money at their own precision', () => {
    const jpy = buildOrder({ currency: 'JPY', lines: [{ unitPrice: 1200 }] });
    const kwd = buildOrder({ currency: 'KWD', lines: [{ unitPrice: 12345 }] });
    const total = (order: typeof jpy) => paramsOf(sent(planEvents({ order, events: [], origin: 'webhook' }, OPTIONS))[0]).totalCost;
    expect(total(jpy)).toBe('1200');
    expect(total(kwd)).toBe('12.345');
  });

  it('keys a guest by phone, and refuses an order without email or phone', () => {
    const guest = buildOrder({ customer: null, billingPhone: '+380 (50) 765-43-21' });
    const [event] = sent(planEvents({ order: guest, events: ['order.created'], origin: 'webhook' }, OPTIONS));
    expect(event?.keyValue).toBe('380507654321');
    expect(paramsOf(event).externalCustomerId).toBeUndefined();
    expect(paramsOf(event).email).toBeUndefined();
    const nobody = buildOrder({ customer: { email: null, phone: null }, billingPhone: null });
    expect(planEvents({ order: nobody, events: ['order.created'], origin: 'webhook' }, OPTIONS)).toEqual({
      action: 'reject', problem: 'eSputnik events need a contact key (email or phone); the order has neither',
    });
  });

  it('keeps unicode names intact inside params and the items string', () => {
    const order = buildOrder({ customer: { firstName: 'Zoë', lastName: '山田' }, lines: [{ unitPrice: 100, name: 'Tee — ü' }] });
    const p = paramsOf(sent(planEvents({ order, events: ['order.updated'], origin: 'webhook' }, OPTIONS))[0]);
    expect(p.firstName).toBe('Zoë');
    expect(p.lastName).toBe('山田');
    expect(JSON.parse(p.items!)[0].name).toBe('Tee — ü');
  });

  it('turns a cart or abandoned checkout into cartUpdated with products and recycleStateId', () => {
    const cart = buildOrder({
      orderId: 'c0ffee42', status: 'abandoned', currency: 'EUR',
      lines: [{ unitPrice: 4550, quantity: 2, discount: 500, productId: 'WS01-L-Green', name: 'Shirt' }],
    });
    const events = sent(planEvents({ order: cart, events: ['cart.updated', 'checkout.abandoned'], origin: 'webhook' }, OPTIONS));
    expect(events).toHaveLength(1);
    expect(events[0]?.eventTypeKey).toBe('cartUpdated');
    const p = paramsOf(events[0]);
    expect(Object.keys(p)).toEqual(['email', 'phone', 'products', 'currencyCode', 'recycleStateId']);
    expect(JSON.parse(p.products!)).toEqual([
      { productId: 'WS01-L-Green', quantity: 2, price: 45.5, name: 'Shirt', category: 'devices', discount: '2.50' } // 5.00 off the line of 2,
    ]);
    expect(p.currencyCode).toBe('EUR');
    expect(p.recycleStateId).toBe('c0ffee42');
    // ids with other characters get a stable hex fingerprint instead
    const odd = buildOrder({ orderId: 'gid://shopify/Checkout/1', status: 'abandoned' });
    expect(recycleStateId(odd)).toMatch(/^[0-9a-f]{16}$/);
    expect(recycleStateId(odd)).toBe(recycleStateId(buildOrder({ orderId: 'gid://shopify/Checkout/1', status: 'abandoned' })));
  });

  it('empties the cart of a checkout the buyer completed, which ends the abandoned-cart flow, and imports no contact for it', () => {
    const done = { ...buildOrder({ orderId: 'c0ffee43', status: 'abandoned' }), completedAt: '2026-03-02T10:00:00.000Z' };
    const plan = planEvents({ order: done, events: ['cart.updated'], origin: 'webhook' }, OPTIONS);
    expect(plan).toMatchObject({ action: 'send', mayIntroduceContact: false });
    const p = paramsOf(sent(plan)[0]);
    expect(p.products).toBeUndefined();
    expect(p.recycleStateId).toBe('c0ffee43');
  });

  it('omits products for an empty cart', () => {
    const empty = buildOrder({ status: 'abandoned', lines: [] });
    const p = paramsOf(sent(planEvents({ order: empty, events: ['cart.updated'], origin: 'webhook' }, OPTIONS))[0]);
    expect(p.products).toBeUndefined();
  });

  it('cancels a deleted order, or sends nothing when told to ignore deletions', () => {
    const deleted = buildOrder({ status: 'deleted' });
    const events = sent(planEvents({ order: deleted, events: ['order.created', 'order.deleted'], origin: 'webhook' }, OPTIONS));
    expect(events.map((e) => e.eventTypeKey)).toEqual(['orderCancelled']);
    expect(paramsOf(events[0]).status).toBe('CANCELLED');
    expect(planEvents({ order: deleted, events: ['order.deleted'], origin: 'webhook' }, { ...OPTIONS, deletedOrders: 'ignore' }).action)
      .toBe('skip');
  });

  it('does not cancel again when a cancelled order is deleted (its orderCancelled went out with the cancellation)', () => {
    const cancelled = buildOrder({ status: 'cancelled', cancelledAt: '2026-03-08T12:00:00.000Z' });
    expect(planEvents({ order: deletedVersion(cancelled), events: ['order.deleted'], origin: 'webhook' }, OPTIONS)).toEqual({
      action: 'skip', reason: 'the order was cancelled before; order.deleted does not send orderCancelled again',
    });
    expect(eventTypesFor({ order: deletedVersion(cancelled), events: ['order.deleted'], origin: 'webhook' }, OPTIONS)).toEqual([]);
    // the cancellation not delivered yet (coalesced with the deletion): sent once
    expect(eventTypesFor({ order: deletedVersion(cancelled), events: ['order.cancelled', 'order.deleted'], origin: 'webhook' }, OPTIONS))
      .toEqual(['orderCancelled']);
    // a live order deleted is still cancelled
    expect(eventTypesFor({ order: deletedVersion(buildOrder({ status: 'paid' })), events: ['order.deleted'], origin: 'webhook' }, OPTIONS))
      .toEqual(['orderCancelled']);
  });

  it('marks the items that may bring a new buyer (order.created, the first version seen, carts), for the contact import', () => {
    const may = (order: ReturnType<typeof buildOrder>, events: EventType[], origin: 'webhook' | 'resync' = 'webhook', firstSeen?: boolean) => {
      const plan = planEvents({ order, events, origin, ...(firstSeen === undefined ? {} : { firstSeen }) }, OPTIONS);
      return plan.action === 'send' ? plan.mayIntroduceContact : plan.action;
    };
    expect(may(buildOrder(), ['order.created'])).toBe(true);
    expect(may(buildOrder({ status: 'paid' }), ['order.created', 'order.paid'])).toBe(true);
    expect(may(buildOrder({ status: 'completed' }), ['order.created', 'order.delivered'], 'resync')).toBe(true); // one orderUpdated creates it
    expect(may(buildOrder({ status: 'abandoned' }), ['checkout.abandoned'])).toBe(true);
    expect(may(buildOrder({ status: 'abandoned' }), ['cart.updated'])).toBe(true);
    expect(may(buildOrder({ status: 'paid' }), ['order.paid'])).toBe(false);
    expect(may(buildOrder({ status: 'paid' }), [])).toBe(false);
    expect(may(buildOrder({ status: 'deleted' }), ['order.created', 'order.deleted'])).toBe(false);
    // first seen through an update: an order from before the shop was connected
    expect(may(buildOrder({ status: 'paid' }), ['order.paid'], 'webhook', true)).toBe(true);
    expect(may(buildOrder({ status: 'deleted' }), ['order.deleted'], 'webhook', true)).toBe(false);
    // a late order.created (orders/create after a later update): the buyer came with the first version seen
    expect(may(buildOrder(), ['order.created'], 'webhook', false)).toBe(false);
    expect(may(buildOrder(), ['order.created'], 'webhook', true)).toBe(true);
  });

  it('skips platform test orders unless sendTestOrders is on', () => {
    const test = buildOrder({ test: true });
    expect(planEvents({ order: test, events: ['order.created'], origin: 'webhook' }, OPTIONS))
      .toEqual({ action: 'skip', reason: 'test order (sendTestOrders is off)' });
    expect(eventTypesFor({ order: test, events: ['order.created'], origin: 'webhook' }, OPTIONS)).toEqual(['orderCreated']);
    expect(sent(planEvents({ order: test, events: ['order.created'], origin: 'webhook' }, { ...OPTIONS, sendTestOrders: true })))
      .toHaveLength(1);
  });

  it('skips customer-only changes', () => {
    expect(planEvents({ order: null, events: ['customer.created'], origin: 'webhook' }, OPTIONS).action).toBe('skip');
    expect(planEvents({ order: buildOrder(), events: ['customer.created'], origin: 'webhook' }, OPTIONS).action).toBe('skip');
  });
});
