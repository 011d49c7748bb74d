import type { LineItem, Order } from '../../src/core/canonical/index.ts';

/** A canonical line whose amounts add up (subtotal = unitPrice × quantity, total = subtotal − discount); the rest neutral. */
export function canonicalLine(line: Pick<LineItem, 'id' | 'unitPrice' | 'quantity'> & Partial<LineItem>): LineItem {
  const subtotal = line.unitPrice * line.quantity;
  const discount = line.discount ?? 0;
  return {
    productId: null, variantId: null, sku: null, name: `Product ${line.id}`, variantName: null,
    subtotal, discount, total: subtotal - discount, tax: 0, taxClass: null, url: null, imageUrl: null,
    category: null, giftCard: false, requiresShipping: true, attributes: {},
    ...line,
  };
}

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
    lineItems: [canonicalLine({ id: `${id}-1`, productId: 'p1', variantId: 'v1', sku: 'SKU-1', name: 'Mug', quantity: 2, unitPrice: 1000, tax: 400 })],
    shipping: { method: 'Standard', tracking: [] }, paymentMethod: 'card', discountCodes: [], refunds: [], tags: [],
    note: null, attributes: {}, test: false,
    ...overrides,
  };
}
