import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/core/canonical/index.ts';
import { wooFixture } from '../../../test/fixtures/woocommerce/load.ts';
import { mapWooCustomer, mapWooOrder, readWooDeletedOrderId, WooMappingError, wooTopicEvents } from './index.ts';

const SHOP = 'shop.example.com';
const statusOrder = (status: string): Order => {
  const o = (wooFixture('orders-every-status.json') as { status: string }[]).find((x) => x.status === status);
  return mapWooOrder(o, SHOP);
};

describe('wooTopicEvents', () => {
  it('created, deleted and restored topics', () => {
    const o = statusOrder('processing');
    expect(wooTopicEvents('order.created', o)).toEqual(['order.created']);
    expect(wooTopicEvents('order.deleted', o)).toEqual(['order.deleted']);
    expect(wooTopicEvents('order.restored', o)).toEqual(['order.updated']);
    expect(wooTopicEvents('product.updated', o)).toEqual([]);
  });

  it('order.updated without the previous version reports the state that holds', () => {
    expect(wooTopicEvents('order.updated', statusOrder('pending'))).toEqual(['order.updated']);
    expect(wooTopicEvents('order.updated', statusOrder('processing'))).toEqual(['order.updated', 'order.paid']);
    expect(wooTopicEvents('order.updated', statusOrder('completed'))).toEqual(['order.updated', 'order.fulfilled']);
    expect(wooTopicEvents('order.updated', statusOrder('cancelled'))).toEqual(['order.updated', 'order.cancelled']);
    expect(wooTopicEvents('order.updated', statusOrder('refunded'))).toEqual(['order.updated', 'order.refunded']);
    const partial = mapWooOrder(wooFixture('order-fees-coupon-partial-refund.json'), SHOP);
    expect(wooTopicEvents('order.updated', partial)).toEqual(['order.updated', 'order.paid', 'order.refunded']);
  });

  it('order.updated with the previous version reports only transitions', () => {
    const pending = statusOrder('pending');
    const processing = statusOrder('processing');
    const completed = statusOrder('completed');
    expect(wooTopicEvents('order.updated', processing, pending)).toEqual(['order.updated', 'order.paid']);
    expect(wooTopicEvents('order.updated', processing, processing)).toEqual(['order.updated']);
    expect(wooTopicEvents('order.updated', completed, processing)).toEqual(['order.updated', 'order.fulfilled']);
    expect(wooTopicEvents('order.updated', completed, completed)).toEqual(['order.updated']);
    const partial = mapWooOrder(wooFixture('order-fees-coupon-partial-refund.json'), SHOP);
    expect(wooTopicEvents('order.updated', partial, partial)).toEqual(['order.updated']);
    const lessRefunded = { ...partial, totals: { ...partial.totals, refunded: 0 } };
    expect(wooTopicEvents('order.updated', partial, lessRefunded)).toEqual(['order.updated', 'order.refunded']);
  });
});

describe('readWooDeletedOrderId', () => {
  it('reads { id } and rejects anything else', () => {
    expect(readWooDeletedOrderId({ id: 727 })).toBe('727');
    expect(() => readWooDeletedOrderId({})).toThrow(WooMappingError);
    expect(() => readWooDeletedOrderId({ id: 'abc' })).toThrow(/id/);
  });
});

describe('mapWooCustomer', () => {
  it('maps customer.created exactly', () => {
    expect(mapWooCustomer(wooFixture('customer-created.json'))).toEqual({
      id: '25', email: 'sanne.devries@example.nl', phone: '+31 20 555 0101', firstName: 'Sanne', lastName: 'de Vries',
      acceptsMarketing: null, locale: null,
    });
  });
  it('rejects a customer without id, naming the field', () => {
    expect(() => mapWooCustomer({ email: 'a@b.c' })).toThrow(/: id:/);
  });
});
