import { describe, expect, it } from 'vitest';
import { Order } from './order.ts';
import { orderBelongsTo, redactCustomerFromOrder, redactOrderPersonalData } from './redact.ts';

const address = {
  firstName: 'Zoë', lastName: 'Łukasiewicz', company: 'Pracownia', address1: 'ul. Źródlana 7', address2: 'lok. 12',
  city: 'Kraków', province: 'Małopolskie', provinceCode: 'PL-12', postalCode: '31-001', country: 'PL', phone: '+48 601 234 567',
};

const order: Order = {
  key: 'shopify:pracownia.myshopify.com:1001',
  source: { platform: 'shopify', shop: 'pracownia.myshopify.com', orderId: '1001', orderNumber: '#1001' },
  status: 'paid', platformStatus: 'open', financialStatus: 'paid', fulfillmentStatus: null,
  createdAt: '2026-03-14T09:15:30.000Z', updatedAt: '2026-03-14T09:15:30.000Z', completedAt: null, cancelledAt: null, cancelReason: null,
  currency: 'USD', presentment: null, taxesIncluded: false,
  totals: { subtotal: 2500, discount: 0, shipping: 500, fees: 0, tax: 200, total: 3200, refunded: 1000 },
  customer: { id: '42', email: 'zoe@example.com', phone: '+48601234567', firstName: 'Zoë', lastName: 'Łukasiewicz', acceptsMarketing: true, locale: 'pl' },
  billingAddress: address,
  shippingAddress: { ...address, company: null },
  lineItems: [{
    id: '1', productId: '2', variantId: '3', sku: 'SCARF', name: 'Silk Scarf', variantName: null, quantity: 1,
    unitPrice: 2500, subtotal: 2500, discount: 0, total: 2500, tax: 200, taxClass: null, url: null, imageUrl: null,
    category: null, giftCard: false, requiresShipping: true, attributes: { Monogram: 'ZŁ' },
  }],
  shipping: { method: 'InPost', tracking: [{ company: 'InPost', number: '6200001', url: 'https://inpost.pl/?n=6200001' }] },
  paymentMethod: 'shopify_payments', discountCodes: ['WELCOME'],
  refunds: [{ id: '9', createdAt: '2026-03-20T10:00:00.000Z', amount: 1000, reason: 'Zoë changed her mind', lineItems: [] }],
  tags: ['vip'], note: 'Call Zoë before delivery', attributes: { gift_message: 'Dla Zoë' }, test: false,
};

describe('redactCustomerFromOrder', () => {
  it('removes personal data and keeps money, items and coarse location', () => {
    const redacted = redactCustomerFromOrder(order, { id: '42', email: null, phone: null });
    expect(redacted).toEqual({
      ...order,
      customer: null,
      billingAddress: {
        firstName: null, lastName: null, company: null, address1: null, address2: null,
        city: 'Kraków', province: 'Małopolskie', provinceCode: 'PL-12', postalCode: null, country: 'PL', phone: null,
      },
      shippingAddress: {
        firstName: null, lastName: null, company: null, address1: null, address2: null,
        city: 'Kraków', province: 'Małopolskie', provinceCode: 'PL-12', postalCode: null, country: 'PL', phone: null,
      },
      lineItems: [{ ...order.lineItems[0]!, attributes: {} }],
      shipping: { method: 'InPost', tracking: [{ company: 'InPost', number: null, url: null }] },
      refunds: [{ ...order.refunds[0]!, reason: null }],
      note: null,
      attributes: {},
    });
    expect(Order.parse(redacted)).toEqual(redacted);
    expect(JSON.stringify(redacted)).not.toMatch(/Zoë|Łukasiewicz|zoe@|601|Źródlana|31-001|6200001/);
    expect(order.customer?.email).toBe('zoe@example.com'); // input untouched
  });

  it('matches by id, by email in any case, or by phone in any format', () => {
    expect(orderBelongsTo(order, { id: '42' })).toBe(true);
    expect(orderBelongsTo(order, { email: '  ZOE@Example.com ' })).toBe(true);
    expect(orderBelongsTo(order, { phone: '+48 (601) 234-567' })).toBe(true);
    const guest = { ...order, customer: { ...order.customer!, id: null, phone: null } };
    expect(orderBelongsTo(guest, { id: '42', email: 'zoe@example.com' })).toBe(true); // guest order, same email
    expect(orderBelongsTo({ ...guest, customer: null }, { phone: '+48601234567' })).toBe(true); // address phone
  });

  it('returns null for someone else’s order', () => {
    expect(redactCustomerFromOrder(order, { id: '43', email: 'other@example.com', phone: '+1 555 0100' })).toBeNull();
    expect(redactCustomerFromOrder(order, {})).toBeNull();
    expect(redactCustomerFromOrder(order, { id: null, email: '', phone: '12' })).toBeNull(); // too short to match
    expect(redactCustomerFromOrder({ ...order, customer: null, billingAddress: null, shippingAddress: null }, { email: 'zoe@example.com' })).toBeNull();
  });

  it('is stable when applied to an already redacted order', () => {
    const once = redactOrderPersonalData(order);
    expect(redactOrderPersonalData(once)).toEqual(once);
    expect(redactCustomerFromOrder(once, { id: '42', email: 'zoe@example.com', phone: '+48601234567' })).toBeNull();
  });
});
