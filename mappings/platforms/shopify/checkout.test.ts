import { describe, expect, it } from 'vitest';
import { Order, totalsDiscrepancy } from '../../../src/core/canonical/index.ts';
import { mapShopifyCheckout, shopifyTopicEvents } from './index.ts';
import { fixture, fixtureObject } from './testFixtures.ts';

const SHOP = 'runshop.myshopify.com';
const TOKEN = 'b3d8c1f0a5e24d6f9c7a1e2b3c4d5e6f';

describe('checkouts/update (checkout-update)', () => {
  const cart = mapShopifyCheckout(fixture('checkout-update.json'), SHOP);

  it('maps to exactly this abandoned cart', () => {
    expect(cart).toEqual({
      key: `shopify:${SHOP}:checkout:${TOKEN}`,
      source: { platform: 'shopify', shop: SHOP, orderId: `checkout:${TOKEN}`, orderNumber: null },
      status: 'abandoned',
      platformStatus: 'open',
      financialStatus: null,
      fulfillmentStatus: null,
      createdAt: '2026-04-20T17:55:12.000Z',
      updatedAt: '2026-04-20T18:03:47.000Z',
      completedAt: null,
      cancelledAt: null,
      cancelReason: null,
      currency: 'EUR', // checkout amounts are in the buyer's currency
      presentment: null,
      taxesIncluded: true,
      // 148.00 − 12.90 + 5.90 = 141.00, VAT 22.51 inside
      totals: { subtotal: 14800, discount: 1290, shipping: 590, fees: 0, tax: 2251, total: 14100, refunded: 0 },
      customer: {
        id: '115310627314723954', email: 'anna@example.de', phone: null, firstName: 'Anna', lastName: 'Schmidt',
        acceptsMarketing: true, locale: 'de',
      },
      billingAddress: null,
      shippingAddress: {
        firstName: 'Anna', lastName: 'Schmidt', company: null, address1: 'Hauptstraße 5', address2: null, city: 'München',
        province: 'Bayern', provinceCode: 'BY', postalCode: '80331', country: 'DE', phone: null,
      },
      lineItems: [
        {
          id: 'a2f9c1e0b7d34c5e8f6a1b2c3d4e5f60', productId: '9500000000001', variantId: '49500000000001', sku: 'TR-42-BLU',
          name: 'Trail Runner', variantName: '42 / Blue', quantity: 1, unitPrice: 12900, subtotal: 12900, discount: 1290,
          total: 11610, tax: 1854, taxClass: null, url: null, imageUrl: null, category: null, giftCard: false,
          requiresShipping: true, attributes: {},
        },
        {
          id: 'c4e1a7b9d2f04e6a8b1c3d5e7f9a0b12', productId: '9500000000002', variantId: '49500000000002', sku: 'SOCK-RUN',
          name: 'Running Socks', variantName: null, quantity: 2, unitPrice: 950, subtotal: 1900, discount: 0,
          total: 1900, tax: 303, taxClass: null, url: null, imageUrl: null, category: null, giftCard: false,
          requiresShipping: true, attributes: { Größe: '39-42' },
        },
      ],
      shipping: { method: 'Standard', tracking: [] },
      paymentMethod: null,
      discountCodes: ['RUN10'],
      refunds: [],
      tags: [],
      note: null,
      attributes: { utm_source: 'newsletter' },
      test: false,
    });
    expect(totalsDiscrepancy(cart)).toBe(0);
    expect(Order.parse(cart)).toEqual(cart);
  });

  it('is an abandoned checkout while the buyer is reachable and has not paid', () => {
    expect(shopifyTopicEvents('checkouts/update', cart)).toEqual(['checkout.abandoned']);
    expect(shopifyTopicEvents('checkouts/create', cart)).toEqual(['checkout.abandoned']);
  });

  it('is a cart update when anonymous or completed', () => {
    const anonymous = fixtureObject('checkout-update.json');
    anonymous.email = null;
    anonymous.customer = null;
    anonymous.shipping_address = null;
    const anon = mapShopifyCheckout(anonymous, SHOP);
    expect(anon.customer).toBeNull();
    expect(shopifyTopicEvents('checkouts/update', anon)).toEqual(['cart.updated']);

    const done = fixtureObject('checkout-update.json');
    done.completed_at = '2026-04-20T20:10:00+02:00';
    const completed = mapShopifyCheckout(done, SHOP);
    expect(completed).toMatchObject({ status: 'abandoned', platformStatus: 'completed', completedAt: '2026-04-20T18:10:00.000Z' });
    expect(shopifyTopicEvents('checkouts/update', completed)).toEqual(['cart.updated']);
  });

  it('falls back to applied_discounts and to the shop currency', () => {
    const payload = fixtureObject('checkout-update.json');
    payload.line_items[0].applied_discounts = payload.line_items[0].discount_allocations;
    payload.line_items[0].discount_allocations = null;
    delete payload.presentment_currency;
    const mapped = mapShopifyCheckout(payload, SHOP);
    expect(mapped.lineItems[0]!.discount).toBe(1290);
    expect(mapped.currency).toBe('USD');
  });

  it('needs a token to key the cart', () => {
    const payload = fixtureObject('checkout-update.json');
    delete payload.token;
    expect(() => mapShopifyCheckout(payload, SHOP)).toThrow(/token: expected string/);
  });
});
