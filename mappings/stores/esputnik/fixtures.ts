// Canonical orders for the eSputnik tests (mapping and connector). Totals always satisfy the invariant.
import { Order, type Customer, type LineItem } from '../../../src/core/canonical/index.ts';
import { canonicalLine } from '../../../test/support/canonicalOrder.ts';

export interface LineSpec {
  id?: string;
  productId?: string | null;
  name?: string;
  variantName?: string | null;
  quantity?: number;
  unitPrice: number;
  discount?: number;
  tax?: number;
  url?: string | null;
  imageUrl?: string | null;
  category?: string | null;
}

export interface OrderSpec {
  orderId?: string;
  orderNumber?: string | null;
  status?: Order['status'];
  currency?: string;
  lines?: LineSpec[];
  shipping?: number;
  fees?: number;
  shippingTax?: number;
  taxesIncluded?: boolean;
  customer?: Partial<Customer> | null;
  billingPhone?: string | null;
  createdAt?: string;
  /** Set for an order cancelled on the platform (default: null). */
  cancelledAt?: string | null;
  /** A platform test order (Shopify `test`, WooCommerce test payments). */
  test?: boolean;
  paymentMethod?: string | null;
  shippingMethod?: string | null;
}

export const JANE: Customer = {
  id: '7001', email: 'jane@example.com', phone: '+380 50 123 4567', firstName: 'Jane', lastName: 'Doe',
  acceptsMarketing: true, locale: 'en',
};

export function buildOrder(spec: OrderSpec = {}): Order {
  const lines: LineItem[] = (spec.lines ?? [{ unitPrice: 1999, quantity: 2 }]).map((l, i) => canonicalLine({
    id: l.id ?? `L${i + 1}`,
    productId: l.productId === undefined ? `P${i + 1}` : l.productId,
    sku: `SKU-${i + 1}`,
    name: l.name ?? `Product ${i + 1}`,
    variantName: l.variantName ?? null,
    quantity: l.quantity ?? 1,
    unitPrice: l.unitPrice,
    discount: l.discount ?? 0,
    tax: l.tax ?? 0,
    url: l.url === undefined ? `https://shop.example.com/p/${i + 1}` : l.url,
    imageUrl: l.imageUrl === undefined ? `https://cdn.example.com/p/${i + 1}.png` : l.imageUrl,
    category: l.category === undefined ? 'devices' : l.category,
  }));
  const taxesIncluded = spec.taxesIncluded ?? false;
  const subtotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const discount = lines.reduce((s, l) => s + l.discount, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0) + (spec.shippingTax ?? 0);
  const shipping = spec.shipping ?? 0;
  const fees = spec.fees ?? 0;
  const total = subtotal - discount + shipping + fees + (taxesIncluded ? 0 : tax);
  const customer = spec.customer === null ? null : { ...JANE, ...spec.customer };
  const orderId = spec.orderId ?? '1001';
  const createdAt = spec.createdAt ?? '2026-03-08T09:30:00.000Z';
  return Order.parse({
    key: `shopify:shop.example.com:${orderId}`,
    source: { platform: 'shopify', shop: 'shop.example.com', orderId, orderNumber: spec.orderNumber === undefined ? '#1001' : spec.orderNumber },
    status: spec.status ?? 'placed',
    platformStatus: null,
    financialStatus: null,
    fulfillmentStatus: null,
    createdAt,
    updatedAt: createdAt,
    completedAt: null,
    cancelledAt: spec.cancelledAt ?? null,
    cancelReason: null,
    currency: spec.currency ?? 'USD',
    presentment: null,
    taxesIncluded,
    totals: { subtotal, discount, shipping, fees, tax, total, refunded: 0 },
    customer,
    billingAddress: {
      firstName: customer?.firstName ?? 'Guest', lastName: customer?.lastName ?? 'Buyer', company: null,
      address1: 'First str. 1', address2: null, city: 'Kyiv', province: null, provinceCode: null,
      postalCode: '01001', country: 'UA', phone: spec.billingPhone === undefined ? null : spec.billingPhone,
    },
    shippingAddress: null,
    lineItems: lines,
    shipping: { method: spec.shippingMethod === undefined ? 'express' : spec.shippingMethod, tracking: [] },
    paymentMethod: spec.paymentMethod === undefined ? 'card' : spec.paymentMethod,
    discountCodes: [],
    refunds: [],
    tags: [],
    note: null,
    attributes: {},
    test: spec.test ?? false,
  });
}

/** What a platform deletion makes of a stored order (src/core/pipeline/syncWriter.ts): the same order, status deleted. */
export function deletedVersion(order: Order, at = '2026-03-09T10:00:00.000Z'): Order {
  return { ...order, status: 'deleted', updatedAt: at };
}
