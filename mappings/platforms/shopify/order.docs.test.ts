import { describe, expect, it } from 'vitest';
import { Order, totalsDiscrepancy, type LineItem } from '../../../src/core/canonical/index.ts';
import { mapShopifyOrder } from './index.ts';
import { fixture, fixtureObject, FIXTURES } from './testFixtures.ts';

const SHOP = 'jsmith.myshopify.com';

const ipod = (over: Partial<LineItem>): LineItem => ({
  id: '', productId: '632910392', variantId: null, sku: null, name: 'IPod Nano - 8gb', variantName: null,
  quantity: 1, unitPrice: 19900, subtotal: 19900, discount: 0, total: 19900, tax: 398, taxClass: null,
  url: null, imageUrl: null, category: null, giftCard: false, requiresShipping: true, attributes: {}, ...over,
});

describe('the documentation sample order #1001', () => {
  it('maps to exactly this canonical order', () => {
    const order = mapShopifyOrder(fixture(FIXTURES.docsSample), SHOP);
    expect(order).toEqual({
      key: 'shopify:jsmith.myshopify.com:450789469',
      source: { platform: 'shopify', shop: SHOP, orderId: '450789469', orderNumber: '#1001' },
      status: 'paid', // partially_refunded, unfulfilled
      platformStatus: 'open',
      financialStatus: 'partially_refunded',
      fulfillmentStatus: null,
      createdAt: '2008-01-10T16:00:00.000Z',
      updatedAt: '2008-01-10T16:00:00.000Z',
      completedAt: null,
      cancelledAt: null,
      cancelReason: null,
      currency: 'USD',
      presentment: null,
      taxesIncluded: false,
      // 597.00 − 10.00 + 0.00 + 11.94 = 598.94; refunded = the refund transaction 209.00
      totals: { subtotal: 59700, discount: 1000, shipping: 0, fees: 0, tax: 1194, total: 59894, refunded: 20900 },
      customer: {
        id: '207119551', email: 'bob.norman@mail.example.com', phone: '+16136120707',
        firstName: 'Bob', lastName: 'Norman', acceptsMarketing: false, locale: null,
      },
      billingAddress: {
        firstName: 'Bob', lastName: 'Norman', company: null, address1: 'Chestnut Street 92', address2: null,
        city: 'Louisville', province: 'Kentucky', provinceCode: 'KY', postalCode: '40202', country: 'US',
        phone: '+1(502)-459-2181',
      },
      shippingAddress: {
        firstName: 'Bob', lastName: 'Norman', company: null, address1: 'Chestnut Street 92', address2: null,
        city: 'Louisville', province: 'Kentucky', provinceCode: 'KY', postalCode: '40202', country: 'US',
        phone: '+1(502)-459-2181',
      },
      lineItems: [
        ipod({
          id: '466157049', variantId: '39072856', sku: 'IPOD2008GREEN', variantName: 'green', discount: 334, total: 19566,
          attributes: { 'Custom Engraving Front': 'Happy Birthday', 'Custom Engraving Back': 'Merry Christmas' },
        }),
        ipod({ id: '518995019', variantId: '49148385', sku: 'IPOD2008RED', variantName: 'red', discount: 333, total: 19567 }),
        ipod({ id: '703073504', variantId: '457924702', sku: 'IPOD2008BLACK', variantName: 'black', discount: 333, total: 19567 }),
      ],
      // the sample's only fulfillment has status "failure": its tracking number never shipped anything
      shipping: { method: 'Free Shipping', tracking: [] },
      paymentMethod: 'bogus',
      discountCodes: ['TENOFF'],
      refunds: [{
        id: '509562969',
        createdAt: '2025-04-02T16:29:59.000Z',
        amount: 20900,
        reason: 'it broke during shipping',
        lineItems: [
          { lineItemId: '703073504', quantity: 1, amount: 19566 + 398 },
          { lineItemId: '466157049', quantity: 1, amount: 19567 + 398 },
        ],
      }],
      tags: [],
      note: null,
      attributes: { 'custom engraving': 'Happy Birthday', colour: 'green' },
      test: false,
    });
    expect(totalsDiscrepancy(order)).toBe(0);
    expect(Order.parse(order)).toEqual(order);
  });

  it('reads the orders list sample the same way', () => {
    const list = fixtureObject('orders-list-docs-sample.json').orders as unknown[];
    expect(list).toHaveLength(1);
    expect(mapShopifyOrder(list[0], SHOP)).toEqual(mapShopifyOrder(fixture(FIXTURES.docsSample), SHOP));
  });

  it('keeps a successful fulfillment’s tracking', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.fulfillments[0].status = 'success';
    expect(mapShopifyOrder(payload, SHOP).shipping.tracking).toEqual([{
      company: 'USPS',
      number: '1Z1234512345123456',
      url: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z1234512345123456',
    }]);
  });
});
