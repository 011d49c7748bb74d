import { describe, expect, it } from 'vitest';
import { jpyGuestOrder, usdOrder } from './fixtures.ts';
import { DEFAULT_MAPPING_OPTIONS, planExpertSenderDelivery, type ExpertSenderMappingOptions } from './index.ts';

const opts = (o: Partial<ExpertSenderMappingOptions> = {}): ExpertSenderMappingOptions => ({ ...DEFAULT_MAPPING_OPTIONS, ...o });

describe('planExpertSenderDelivery', () => {
  it('sends a new order as a full AddOrReplace', () => {
    const plan = planExpertSenderDelivery({ order: usdOrder(), events: ['order.created'], origin: 'webhook' }, opts());
    expect(plan.kind).toBe('upsert');
  });

  it('uses a status PUT for status-only live changes, with the full order as fallback', () => {
    const plan = planExpertSenderDelivery(
      { order: usdOrder({ status: 'fulfilled' }), events: ['order.paid', 'order.delivered'], origin: 'webhook' },
      opts({ websiteId: 3 }),
    );
    expect(plan).toMatchObject({ kind: 'status', body: { orderId: '820982911946154508', orderStatus: 'completed', websiteId: 3 } });
    if (plan.kind !== 'status') throw new Error('unreachable');
    expect(plan.fallback).toMatchObject({ kind: 'upsert', order: { status: 'completed' } });
  });

  it('resends the whole order on a fulfilment or cancellation: they bring tracking, a cancel reason and refunds', () => {
    const shipped = usdOrder({ status: 'fulfilled' });
    const fulfilled = planExpertSenderDelivery({ order: shipped, events: ['order.fulfilled'], origin: 'webhook' }, opts());
    expect(fulfilled.kind).toBe('upsert');
    const cancelled = usdOrder({ status: 'cancelled' });
    const plan = planExpertSenderDelivery({ order: cancelled, events: ['order.paid', 'order.cancelled'], origin: 'webhook' }, opts());
    expect(plan).toMatchObject({ kind: 'upsert', order: { status: 'canceled' } });
  });

  it('sends the full order when the change is more than a status, or the origin is not live, or the setting says full', () => {
    const cancelled = usdOrder({ status: 'cancelled' });
    const kind = (events: Parameters<typeof planExpertSenderDelivery>[0]['events'], origin: 'webhook' | 'resync' | 'replay', o?: Partial<ExpertSenderMappingOptions>) =>
      planExpertSenderDelivery({ order: cancelled, events, origin }, opts(o)).kind;
    expect(kind(['order.created', 'order.cancelled'], 'webhook')).toBe('upsert');
    expect(kind(['order.updated', 'order.cancelled'], 'webhook')).toBe('upsert');
    expect(kind(['order.refunded'], 'webhook')).toBe('upsert');
    expect(kind([], 'webhook')).toBe('upsert');
    expect(kind(['order.cancelled'], 'resync')).toBe('upsert');
    expect(kind(['order.cancelled'], 'replay')).toBe('upsert');
    expect(kind(['order.cancelled'], 'webhook', { statusUpdates: 'full' })).toBe('upsert');
  });

  it('deletes deleted orders and skips abandoned checkouts and customer-only items', () => {
    expect(planExpertSenderDelivery({ order: usdOrder({ status: 'deleted' }), events: ['order.deleted'], origin: 'webhook' }, opts({ orderIdPrefix: 'a-' })))
      .toEqual({ kind: 'delete', orderId: 'a-820982911946154508' });
    expect(planExpertSenderDelivery({ order: usdOrder(), events: ['order.deleted'], origin: 'webhook' }, opts()).kind).toBe('delete');
    expect(planExpertSenderDelivery({ order: usdOrder({ status: 'abandoned' }), events: ['checkout.abandoned'], origin: 'webhook' }, opts()).kind).toBe('skip');
    expect(planExpertSenderDelivery({ order: null, events: ['customer.created'], origin: 'webhook' }, opts()).kind).toBe('skip');
  });

  it('refuses an order with a too-long value, naming field and limit', () => {
    const order = usdOrder();
    order.lineItems[1]!.name = 'n'.repeat(2100);
    const plan = planExpertSenderDelivery({ order, events: ['order.created'], origin: 'webhook' }, opts());
    expect(plan).toEqual({ kind: 'invalid', reason: 'not sent to ExpertSender: products[1].name is 2100 characters; ExpertSender allows at most 2048' });
  });

  it('refuses an order nobody can be matched to, and one missing the matchBy field', () => {
    const noOne = usdOrder({ customer: null, billingAddress: null, shippingAddress: null });
    const plan = planExpertSenderDelivery({ order: noOne, events: ['order.created'], origin: 'webhook' }, opts());
    expect(plan.kind === 'invalid' && plan.reason).toContain('customer has no email, phone or crmId');
    const guest = planExpertSenderDelivery({ order: jpyGuestOrder(), events: ['order.created'], origin: 'webhook' }, opts({ matchBy: 'Email' }));
    expect(guest.kind === 'invalid' && guest.reason).toContain('customer.email is missing, and orders are matched by Email');
    expect(planExpertSenderDelivery({ order: jpyGuestOrder(), events: ['order.created'], origin: 'webhook' }, opts({ matchBy: 'Phone' })).kind).toBe('upsert');
  });

  it('refuses an order id over 128 characters even for a delete', () => {
    const plan = planExpertSenderDelivery({ order: usdOrder({ status: 'deleted' }), events: ['order.deleted'], origin: 'webhook' }, opts({ orderIdPrefix: 'p'.repeat(120) }));
    expect(plan.kind === 'invalid' && plan.reason).toContain('id is 138 characters; ExpertSender allows at most 128');
  });
});
