import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/core/canonical/index.ts';
import { mapShopifyOrder, shopifyOrderStatus, shopifyTopicEvents } from './index.ts';
import { fixture, FIXTURES } from './testFixtures.ts';

describe('the status table (README)', () => {
  const at = '2026-01-01T00:00:00Z';
  it.each([
    [{ cancelled_at: at, financial_status: 'refunded', fulfillment_status: 'fulfilled' }, 'cancelled'],
    [{ financial_status: 'refunded', fulfillment_status: 'fulfilled', closed_at: at }, 'refunded'],
    [{ financial_status: 'voided' }, 'cancelled'],
    [{ financial_status: 'paid', fulfillment_status: 'fulfilled', closed_at: at }, 'completed'],
    [{ financial_status: 'paid', fulfillment_status: 'fulfilled' }, 'fulfilled'],
    [{ financial_status: 'pending', fulfillment_status: 'fulfilled' }, 'fulfilled'],
    [{ financial_status: 'paid', fulfillment_status: 'partial' }, 'paid'],
    [{ financial_status: 'partially_refunded', fulfillment_status: null }, 'paid'],
    [{ financial_status: 'paid', closed_at: at }, 'paid'],
    [{ financial_status: 'authorized' }, 'placed'],
    [{ financial_status: 'pending' }, 'placed'],
    [{ financial_status: 'partially_paid' }, 'placed'],
    [{ financial_status: null }, 'placed'],
  ] as const)('%o → %s', (facts, status) => {
    expect(shopifyOrderStatus(facts)).toBe(status);
  });
});

describe('topic → events', () => {
  const order: Order = mapShopifyOrder(fixture(FIXTURES.docsSample), 'jsmith.myshopify.com');
  it.each([
    ['orders/create', ['order.created']],
    ['orders/updated', ['order.updated']],
    ['orders/edited', ['order.updated']],
    ['orders/paid', ['order.paid']],
    ['orders/fulfilled', ['order.fulfilled']],
    ['orders/partially_fulfilled', ['order.fulfilled']],
    ['orders/cancelled', ['order.cancelled']],
    ['refunds/create', ['order.refunded']],
    ['orders/delete', ['order.deleted']],
    ['products/update', []],
  ] as const)('%s → %o', (topic, events) => {
    expect(shopifyTopicEvents(topic, order)).toEqual(events);
  });

  it('does not add order.paid to orders/create (Shopify sends orders/paid itself)', () => {
    expect(order.financialStatus).toBe('partially_refunded');
    expect(shopifyTopicEvents('orders/create', order)).toEqual(['order.created']);
  });

  it('hands out a fresh array each time', () => {
    const events = shopifyTopicEvents('orders/create', order);
    events.push('order.paid');
    expect(shopifyTopicEvents('orders/create', order)).toEqual(['order.created']);
  });
});
