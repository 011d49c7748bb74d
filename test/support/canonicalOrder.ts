import type { Order } from '../../src/canonical/index.ts';

/** A consistent canonical order (totals invariant holds) for tests that need one without a platform payload. */
export function makeOrder(id: string, overrides: Partial<Order> = {}, shop = 'demo-shop.myshopify.com'): Order {
  const updatedAt = overrides.updatedAt ?? '2026-01-01T00:00:00.000Z';
  return {
    key: `shopify:${shop}:${id}`,
    source: { platform: 'shopify', shop, orderId: id, orderNumber: `#${id}` },
    status: 'placed', platformStatus: 'pending', financialStatus: 'pending', fulfillmentStatus: null,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt, completedAt: null, cancelledAt: null, cancelReason: null,
    currency: 'EUR', presentment: null, taxesIncluded: false,
    totals: { subtotal: 2000, discount: 0, shipping: 500, fees: 0, tax: 400, total: 2900, refunded: 0 },
    customer: { id: 'c1', email: 'anna@example.com', phone: '+46700000000', firstName: 'Anna', lastName: 'Åberg', acceptsMarketing: true, locale: 'sv' },
    billingAddress: null, shippingAddress: null,
    lineItems: [{
      id: `${id}-1`, productId: 'p1', variantId: 'v1', sku: 'SKU-1', name: 'Mug', variantName: null, quantity: 2,
      unitPrice: 1000, subtotal: 2000, discount: 0, total: 2000, tax: 400, taxClass: null, url: null, imageUrl: null,
      category: null, giftCard: false, requiresShipping: true, attributes: {},
    }],
    shipping: { method: 'Standard', tracking: [] }, paymentMethod: 'card', discountCodes: [], refunds: [], tags: [],
    note: null, attributes: {}, test: false,
    ...overrides,
  };
}
