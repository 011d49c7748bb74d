// Canonical orders for the Engage tests: valid against the zod model and the totals invariant.
import { Order, type LineItem } from '../../../src/core/canonical/index.ts';
import { canonicalLine } from '../../../test/support/canonicalOrder.ts';

export interface FixtureOptions {
  id?: string;
  currency?: string;
  /** [unit price minor, quantity] per line. */
  lines?: Array<[number, number]>;
  shipping?: number;
  tax?: number;
  status?: Order['status'];
  createdAt?: string;
}

export function canonicalOrder(opts: FixtureOptions = {}, patch: Partial<Order> = {}): Order {
  const id = opts.id ?? '10021';
  const currency = opts.currency ?? 'USD';
  const lines: LineItem[] = (opts.lines ?? [[1749, 2], [500, 1]]).map(([unit, qty], i) => canonicalLine({
    id: `li-${i + 1}`, productId: String(1002 + i), variantId: String(2002 + i), sku: `SKU-${i + 1}`, name: `Product ${i + 1}`,
    unitPrice: unit, quantity: qty, taxClass: i === 0 ? 'standard' : null,
  }));
  const subtotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const shipping = opts.shipping ?? 0;
  const tax = opts.tax ?? 0;
  const createdAt = opts.createdAt ?? '2026-03-01T10:20:30.123Z';
  return Order.parse({
    key: `shopify:demo.myshopify.com:${id}`,
    source: { platform: 'shopify', shop: 'demo.myshopify.com', orderId: id, orderNumber: '#1001' },
    status: opts.status ?? 'paid',
    platformStatus: null,
    financialStatus: 'paid',
    fulfillmentStatus: null,
    createdAt,
    updatedAt: '2026-03-01T11:00:00.000Z',
    completedAt: null,
    cancelledAt: null,
    cancelReason: null,
    currency,
    presentment: null,
    taxesIncluded: false,
    totals: { subtotal, discount: 0, shipping, fees: 0, tax, total: subtotal + shipping + tax, refunded: 0 },
    customer: {
      id: '555', email: 'ada@example.com', phone: '+46 123 456 789', firstName: 'Ada', lastName: 'Lovelace',
      acceptsMarketing: true, locale: 'en',
    },
    billingAddress: {
      firstName: 'Ada', lastName: 'Lovelace', company: null, address1: '1 Main St', address2: null,
      city: 'New York', province: 'New York', provinceCode: 'NY', postalCode: '10800', country: 'US', phone: null,
    },
    shippingAddress: null,
    lineItems: lines,
    shipping: { method: null, tracking: [] },
    paymentMethod: null,
    discountCodes: [],
    refunds: [],
    tags: [],
    note: null,
    attributes: {},
    test: false,
    ...patch,
  });
}
