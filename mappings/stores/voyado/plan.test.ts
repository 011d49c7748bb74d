import { describe, expect, it } from 'vitest';
import type { EventType, Order } from '../../../src/core/canonical/index.ts';
import { canonicalOrder } from './fixtures.ts';
import { DEFAULT_VOYADO_ORDER_OPTIONS } from './order.ts';
import {
  actionLanguage, DEFAULT_VOYADO_ACTION_RULES, lifecycleSteps, planVoyadoDelivery, type VoyadoPlanInput, type VoyadoPlanOptions,
} from './plan.ts';

const OPTS: VoyadoPlanOptions = {
  ...DEFAULT_VOYADO_ORDER_OPTIONS,
  actionsEnabled: true,
  actions: DEFAULT_VOYADO_ACTION_RULES,
  language: null,
  sendTestOrders: false,
};

const plan = (order: Order, events: EventType[], origin: VoyadoPlanInput['origin'] = 'webhook', opts: Partial<VoyadoPlanOptions> = {}) =>
  planVoyadoDelivery({ order, events, origin }, { ...OPTS, ...opts });

const shipped = (status: Order['status'] = 'fulfilled') => canonicalOrder({ id: '9', status }, {
  shipping: { method: 'DHL', tracking: [{ company: 'DHL', number: 'JD0001', url: 'https://dhl.example/JD0001' }] },
});

describe('planVoyadoDelivery', () => {
  it('creates a new order with ConfirmOrder embedded', () => {
    const p = plan(canonicalOrder({ id: '1' }), ['order.created']);
    expect(p).toMatchObject({ kind: 'write', mode: 'create', orderId: '1', laterActions: [] });
    if (p.kind !== 'write') throw new Error(p.kind);
    expect(p.order.orderAction).toEqual({ action: 'ConfirmOrder', language: 'sv-SE', data: { step: 'created', orderId: '1', orderNumber: '#1001' } });
  });

  it('replaces on a content change and sends no action for it', () => {
    const p = plan(canonicalOrder({ id: '1' }), ['order.updated', 'order.paid']);
    expect(p).toMatchObject({ kind: 'write', mode: 'replace', laterActions: [] });
    if (p.kind !== 'write') throw new Error(p.kind);
    expect(p.order.orderAction).toBeUndefined();
  });

  it('routes a pure fulfilment through change-delivery + change-status with ConfirmShipment', () => {
    const p = plan(shipped(), ['order.fulfilled']);
    expect(p).toEqual({
      kind: 'change',
      orderId: '9',
      delivery: { method: 'DHL', trackingNumber: 'JD0001', trackingUri: 'https://dhl.example/JD0001', lastChangedAt: '2026-03-01T11:00:00.000Z' },
      status: {
        status: 'InProgress', externalStatus: 'fulfilled', lastChangedAt: '2026-03-01T11:00:00.000Z',
        orderAction: {
          action: 'ConfirmShipment', language: 'sv-SE',
          data: { step: 'fulfilled', orderId: '9', orderNumber: '#1001', trackingNumber: 'JD0001', trackingUri: 'https://dhl.example/JD0001' },
        },
      },
      fallback: expect.objectContaining({ orderId: '9', orderAction: expect.objectContaining({ action: 'ConfirmShipment' }) }),
      laterActions: [],
    });
  });

  it('sends ConfirmDelivery, ConfirmCancellation and ConfirmCompletion for their events', () => {
    const delivered = plan(shipped(), ['order.delivered']);
    expect(delivered.kind === 'change' && delivered.status.orderAction?.action).toBe('ConfirmDelivery');

    const cancelled = plan(canonicalOrder({ id: '9', status: 'cancelled' }, { cancelReason: 'customer' }), ['order.cancelled']);
    if (cancelled.kind !== 'change') throw new Error(cancelled.kind);
    expect(cancelled.delivery).toBeNull();
    expect(cancelled.status).toMatchObject({ status: 'Cancelled', orderAction: { action: 'ConfirmCancellation', data: { cancelReason: 'customer' } } });

    const completed = plan(shipped('completed'), ['order.updated', 'order.fulfilled']);
    if (completed.kind !== 'write') throw new Error(completed.kind);
    expect(completed.order.orderAction?.action).toBe('ConfirmShipment');
    expect(completed.laterActions.map((a) => a.action)).toEqual(['ConfirmCompletion']);
  });

  it('embeds the oldest action and queues the rest when events coalesce', () => {
    const p = plan(shipped('cancelled'), ['order.created', 'order.fulfilled', 'order.cancelled']);
    if (p.kind !== 'write') throw new Error(p.kind);
    expect(p.mode).toBe('create');
    expect(p.order.orderAction?.action).toBe('ConfirmOrder');
    expect(p.laterActions.map((a) => a.action)).toEqual(['ConfirmShipment', 'ConfirmCancellation']);
  });

  it('never sends actions for resync or replay, and a resync writes the whole order', () => {
    const resync = plan(shipped(), ['order.created', 'order.fulfilled'], 'resync');
    expect(resync).toMatchObject({ kind: 'write', mode: 'create', laterActions: [] });
    if (resync.kind !== 'write') throw new Error(resync.kind);
    expect(resync.order.orderAction).toBeUndefined();

    const replay = plan(shipped(), ['order.fulfilled'], 'replay');
    expect(replay.kind === 'change' && replay.status.orderAction).toBeUndefined();
  });

  it('honours the per-shop action switches', () => {
    const off = plan(canonicalOrder({ id: '1' }), ['order.created'], 'webhook', { actions: { ...DEFAULT_VOYADO_ACTION_RULES, created: null } });
    expect(off.kind === 'write' && off.order.orderAction).toBeUndefined();
    const renamed = plan(shipped(), ['order.fulfilled'], 'webhook', { actions: { ...DEFAULT_VOYADO_ACTION_RULES, fulfilled: 'Custom' } });
    expect(renamed.kind === 'change' && renamed.status.orderAction?.action).toBe('Custom');
    const master = plan(canonicalOrder({ id: '1' }), ['order.created'], 'webhook', { actionsEnabled: false });
    expect(master.kind === 'write' && master.order.orderAction).toBeUndefined();
  });

  it('deletes, skips test orders and abandoned checkouts, and rejects orders without a contact', () => {
    expect(plan(canonicalOrder({ id: '3' }), ['order.updated', 'order.deleted'])).toEqual({ kind: 'delete', orderId: '3' });
    expect(plan(canonicalOrder({}, { test: true }), ['order.created'])).toMatchObject({ kind: 'skip' });
    expect(plan(canonicalOrder({}, { test: true }), ['order.created'], 'webhook', { sendTestOrders: true })).toMatchObject({ kind: 'write' });
    expect(plan(canonicalOrder({ status: 'abandoned' }), ['checkout.abandoned'])).toMatchObject({ kind: 'skip' });
    expect(plan(canonicalOrder({}, { customer: null, billingAddress: null }), ['order.created'])).toMatchObject({ kind: 'reject' });
  });
});

describe('lifecycle helpers', () => {
  it('derives completion only from a fulfilment or delivery of a completed order', () => {
    expect(lifecycleSteps(shipped('completed'), ['order.updated'])).toEqual([]);
    expect(lifecycleSteps(shipped('completed'), ['order.delivered'])).toEqual(['delivered', 'completed']);
  });

  it('normalises locales into language tags', () => {
    const withLocale = (locale: string | null) => canonicalOrder({}, { customer: { ...canonicalOrder().customer!, locale } });
    expect(actionLanguage(withLocale('en_US'), null)).toBe('en-US');
    expect(actionLanguage(withLocale('not a tag'), null)).toBeNull();
    expect(actionLanguage(withLocale(null), 'sv-SE')).toBe('sv-SE');
  });
});
