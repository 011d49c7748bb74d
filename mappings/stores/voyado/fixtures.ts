// Canonical orders for the Voyado tests: valid against the zod model and the totals invariant.
import { Order, totalsDiscrepancy, type LineItem } from '../../../src/core/canonical/index.ts';
import { canonicalLine } from '../../../test/support/canonicalOrder.ts';

export interface VoyadoFixtureOptions {
  id?: string;
  currency?: string;
  /** [unit price minor, quantity, discount minor?] per line. */
  lines?: Array<[number, number, number?]>;
  shipping?: number;
  fees?: number;
  tax?: number;
  status?: Order['status'];
}

export function canonicalOrder(opts: VoyadoFixtureOptions = {}, patch: Partial<Order> = {}): Order {
  const id = opts.id ?? '5001';
  const lines: LineItem[] = (opts.lines ?? [[1749, 2], [500, 1]]).map(([unit, qty, discount = 0], i) => canonicalLine({
    id: `li-${i + 1}`, productId: String(1002 + i), variantId: String(2002 + i), sku: `SKU-${i + 1}`, name: `Product ${i + 1}`,
    unitPrice: unit, quantity: qty, discount,
  }));
  const subtotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const discount = lines.reduce((s, l) => s + l.discount, 0);
  const shipping = opts.shipping ?? 0;
  const fees = opts.fees ?? 0;
  const tax = opts.tax ?? 0;
  const order = Order.parse({
    key: `shopify:demo.myshopify.com:${id}`,
    source: { platform: 'shopify', shop: 'demo.myshopify.com', orderId: id, orderNumber: '#1001' },
    status: opts.status ?? 'paid',
    platformStatus: null,
    financialStatus: 'paid',
    fulfillmentStatus: null,
    createdAt: '2026-03-01T10:20:30.123Z',
    updatedAt: '2026-03-01T11:00:00.000Z',
    completedAt: null,
    cancelledAt: null,
    cancelReason: null,
    currency: opts.currency ?? 'SEK',
    presentment: null,
    taxesIncluded: false,
    totals: { subtotal, discount, shipping, fees, tax, total: subtotal - discount + shipping + fees + tax, refunded: 0 },
    customer: {
      id: '555', email: 'Ada@Example.com', phone: '+46 70 123 45 67', firstName: 'Ada', lastName: 'Lovelace',
      acceptsMarketing: true, locale: 'sv-SE',
    },
    billingAddress: {
      firstName: 'Ada', lastName: 'Lovelace', company: null, address1: 'Drottninggatan 1', address2: null,
      city: 'Stockholm', province: null, provinceCode: null, postalCode: '111 51', country: 'SE', phone: null,
    },
    shippingAddress: null,
    lineItems: lines,
    shipping: { method: null, tracking: [] },
    paymentMethod: 'Klarna',
    discountCodes: [],
    refunds: [],
    tags: [],
    note: null,
    attributes: {},
    test: false,
    ...patch,
  });
  if (totalsDiscrepancy(order) !== 0 && !('totals' in patch)) throw new Error('fixture totals do not add up');
  return order;
}
