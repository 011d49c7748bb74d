// Canonical orders for the ExpertSender tests (mapping and connector). Test support only.
import { Order, type LineItem, totalsDiscrepancy } from '../../../src/core/canonical/index.ts';
import { canonicalLine } from '../../../test/support/canonicalOrder.ts';

export function line(overrides: Partial<LineItem> & Pick<LineItem, 'id' | 'unitPrice' | 'quantity'>): LineItem {
  return canonicalLine({
    productId: `prod-${overrides.id}`, variantId: `var-${overrides.id}`, sku: `SKU-${overrides.id}`, ...overrides,
  });
}

/** A consistent USD order (totals add up) with a registered customer; override what a test needs. */
export function usdOrder(overrides: Partial<Order> = {}): Order {
  const lines = [
    line({
      id: '11', unitPrice: 1999, quantity: 2, discount: 400, tax: 288, taxClass: 'standard',
      name: 'Wireless Earbuds', variantName: 'Black', url: 'https://shop.example/products/earbuds',
      imageUrl: 'https://shop.example/img/earbuds.jpg', category: 'Electronics', attributes: { Color: 'Black' },
    }),
    line({ id: '12', unitPrice: 500, quantity: 1, tax: 72, name: 'Cable' }),
  ];
  const base: Order = {
    key: 'shopify:demo.myshopify.com:820982911946154508',
    source: { platform: 'shopify', shop: 'demo.myshopify.com', orderId: '820982911946154508', orderNumber: '#1001' },
    status: 'placed',
    platformStatus: 'open',
    financialStatus: 'pending',
    fulfillmentStatus: null,
    createdAt: '2026-03-01T10:10:00.055Z',
    updatedAt: '2026-03-01T10:10:00.055Z',
    completedAt: null,
    cancelledAt: null,
    cancelReason: null,
    currency: 'USD',
    presentment: null,
    taxesIncluded: false,
    totals: { subtotal: 4498, discount: 400, shipping: 595, fees: 0, tax: 360, total: 5053, refunded: 0 },
    customer: {
      id: '207119551', email: 'bob.norman@example.com', phone: '+1 (555) 010-0199',
      firstName: 'Bob', lastName: 'Norman', acceptsMarketing: true, locale: 'en',
    },
    billingAddress: null,
    shippingAddress: {
      firstName: 'Bob', lastName: 'Norman', company: null, address1: '1 Main St', address2: null,
      city: 'Ottawa', province: 'Ontario', provinceCode: 'ON', postalCode: 'K2P 1L4', country: 'CA', phone: null,
    },
    lineItems: lines,
    shipping: { method: 'Express', tracking: [] },
    paymentMethod: 'card',
    discountCodes: ['SPRING10'],
    refunds: [],
    tags: [],
    note: null,
    attributes: { 'Gift Wrap': 'Yes' },
    test: false,
  };
  return checked({ ...base, ...overrides });
}

/** Zero-decimal yen, unicode names, guest (no customer; phone only on the billing address). */
export function jpyGuestOrder(): Order {
  return checked({
    ...usdOrder(),
    key: 'woocommerce:shop.example.jp:4711',
    source: { platform: 'woocommerce', shop: 'shop.example.jp', orderId: '4711', orderNumber: '4711' },
    currency: 'JPY',
    customer: null,
    billingAddress: {
      firstName: '太郎', lastName: '山田', company: null, address1: '千代田1-1', address2: null,
      city: '東京', province: null, provinceCode: null, postalCode: '100-0001', country: 'JP', phone: '03-1234-5678',
    },
    shippingAddress: null,
    lineItems: [line({ id: '1', unitPrice: 1200, quantity: 3, name: '抹茶セット 🍵', category: '日本茶' })],
    totals: { subtotal: 3600, discount: 0, shipping: 500, fees: 0, tax: 0, total: 4100, refunded: 0 },
    discountCodes: [],
    attributes: {},
  });
}

/** Three-decimal Kuwaiti dinar, with a partial refund of one unit. */
export function kwdOrder(): Order {
  return checked({
    ...usdOrder(),
    key: 'shopify:kw.myshopify.com:5001',
    source: { platform: 'shopify', shop: 'kw.myshopify.com', orderId: '5001', orderNumber: '#5001' },
    currency: 'KWD',
    status: 'refunded',
    lineItems: [line({ id: '7', unitPrice: 12345, quantity: 2, name: 'عطر العود' })],
    totals: { subtotal: 24690, discount: 0, shipping: 1005, fees: 0, tax: 0, total: 25695, refunded: 12345 },
    refunds: [{
      id: 'r1', createdAt: '2026-03-03T08:00:00.000Z', amount: 12345, reason: 'damaged',
      lineItems: [{ lineItemId: '7', quantity: 1, amount: 12345 }],
    }],
    discountCodes: [],
    attributes: {},
  });
}

function checked(order: Order): Order {
  const parsed = Order.parse(order);
  const off = totalsDiscrepancy(parsed);
  if (off !== 0) throw new Error(`fixture ${order.key} totals are off by ${off}`);
  return parsed;
}
