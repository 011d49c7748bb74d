import { describe, expect, it } from 'vitest';
import { Order, totalsDiscrepancy } from '../../../src/core/canonical/index.ts';
import { applyShopifyRefund, mapShopifyOrder, readShopifyRefundOrderId, ShopifyMappingError } from './index.ts';
import { fixture, fixtureObject, FIXTURES } from './testFixtures.ts';

const SHOP = 'kiez-laden.myshopify.com';
const stored = () => mapShopifyOrder(fixture(FIXTURES.taxesIncludedRefunds), SHOP);
const refundCreate = () => fixture('refund-create.json');

describe('refunds/create', () => {
  it('names the order it belongs to', () => {
    expect(readShopifyRefundOrderId(refundCreate())).toBe('5813392097328');
  });

  it('completes a partially refunded order: refunded in full', () => {
    const before = stored();
    const { order, refund } = applyShopifyRefund(before, refundCreate());
    expect(refund).toEqual({
      id: '9300000000003',
      createdAt: '2026-04-05T08:30:00.000Z',
      amount: 6516, // the successful transaction only; the failed attempt moved no money
      reason: 'Rest zurück',
      lineItems: [
        { lineItemId: '14400000000011', quantity: 1, amount: 5391 },
        { lineItemId: '14400000000012', quantity: 1, amount: 1125 },
      ],
    });
    expect(order.refunds.map((r) => r.id)).toEqual(['9300000000001', '9300000000002', '9300000000003']);
    expect(order.totals).toEqual({ ...before.totals, refunded: 5391 + 490 + 6516 });
    expect(order.totals.refunded).toBe(order.totals.total);
    expect(order.status).toBe('refunded');
    expect(order.financialStatus).toBe('refunded');
    expect(order.updatedAt).toBe(before.updatedAt); // the orders/updated that follows carries Shopify's new time
    expect(totalsDiscrepancy(order)).toBe(0);
    expect(Order.parse(order)).toEqual(order);
    expect(before.refunds).toHaveLength(2); // the stored order is not mutated
  });

  it('is idempotent: a refund already merged changes nothing', () => {
    const once = applyShopifyRefund(stored(), refundCreate()).order;
    const twice = applyShopifyRefund(once, refundCreate());
    expect(twice.order).toEqual(once);
    expect(twice.refund.id).toBe('9300000000003');
    const inPayload = fixtureObject('refund-create.json');
    inPayload.id = 9300000000001; // already in the order's own refunds[]
    inPayload.admin_graphql_api_id = 'gid://shopify/Refund/9300000000001';
    const again = applyShopifyRefund(stored(), inPayload);
    expect(again.order).toEqual(stored());
    expect(again.refund.amount).toBe(5391);
  });

  it('marks a partial refund as partially_refunded and keeps the status', () => {
    const paid = { ...stored(), refunds: [], financialStatus: 'paid', totals: { ...stored().totals, refunded: 0 } };
    const { order } = applyShopifyRefund(paid, refundCreate());
    expect(order.totals.refunded).toBe(6516);
    expect(order.financialStatus).toBe('partially_refunded');
    expect(order.status).toBe('paid');
  });

  it('keeps a cancelled order cancelled when it is refunded in full', () => {
    const cancelled = { ...stored(), status: 'cancelled' as const };
    expect(applyShopifyRefund(cancelled, refundCreate()).order.status).toBe('cancelled');
  });

  it('converts presentment-currency transactions at the order’s own rate', () => {
    const order = mapShopifyOrder(fixture(FIXTURES.guestPresentment), 'maple-books.myshopify.com'); // 31.48 USD = 43.03 CAD
    const refund = (amount: string, id: number) => ({
      id, order_id: 6104218787887, created_at: '2026-05-03T10:00:00-04:00', note: null,
      refund_line_items: [], transactions: [{ kind: 'refund', status: 'success', amount, currency: 'CAD' }],
    });
    const partial = applyShopifyRefund(order, refund('10.00', 1));
    expect(partial.refund.amount).toBe(732); // 1000 × 3148 / 4303 = 731.58
    const full = applyShopifyRefund(order, refund('43.03', 2));
    expect(full.refund.amount).toBe(3148);
    expect(full.order.status).toBe('refunded');
    expect(() => applyShopifyRefund(order, { ...refund('5.00', 3), transactions: [{ kind: 'refund', status: 'success', amount: '5.00', currency: 'EUR' }] }))
      .toThrow(/refund\.transactions\[0\]\.currency: EUR is neither the shop currency USD nor the presentment currency/);
  });

  it('refuses a refund of another order', () => {
    const other = fixtureObject('refund-create.json');
    other.order_id = 1;
    expect(() => applyShopifyRefund(stored(), other)).toThrow(/order_id: 1 is not the order 5813392097328/);
  });

  it('throws ShopifyMappingError on an unreadable refund', () => {
    const bad = fixtureObject('refund-create.json');
    bad.refund_line_items[1].subtotal_set = null;
    bad.refund_line_items[1].subtotal = 'eleven';
    expect(() => applyShopifyRefund(stored(), bad)).toThrow(ShopifyMappingError);
    expect(() => applyShopifyRefund(stored(), bad)).toThrow('refund_line_items[1].subtotal: expected a decimal string');
    expect(() => readShopifyRefundOrderId({ id: 5 })).toThrow('order_id');
  });
});
