import { orderKey, type Order, type Platform } from '../canonical/index.ts';

/** What is known of an order deleted before orderbridge ever saw it: its identity and the time. */
export function tombstone(platform: Platform, shop: string, orderId: string, at: number): Order {
  const iso = new Date(at).toISOString();
  return {
    key: orderKey(platform, shop, orderId),
    source: { platform, shop, orderId, orderNumber: null },
    status: 'deleted', platformStatus: null, financialStatus: null, fulfillmentStatus: null,
    createdAt: iso, updatedAt: iso, completedAt: null, cancelledAt: null, cancelReason: null,
    currency: 'XXX', presentment: null, taxesIncluded: false,
    totals: { subtotal: 0, discount: 0, shipping: 0, fees: 0, tax: 0, total: 0, refunded: 0 },
    customer: null, billingAddress: null, shippingAddress: null, lineItems: [],
    shipping: { method: null, tracking: [] }, paymentMethod: null, discountCodes: [], refunds: [], tags: [],
    note: null, attributes: {}, test: false,
  };
}
