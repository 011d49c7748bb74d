import { z } from 'zod';

// Money fields are integer minor units of the order's currency (see money.ts).
const Minor = z.number().int();
const Iso = z.string().datetime({ offset: false }); // always UTC "…Z"

export const PLATFORMS = ['shopify', 'woocommerce'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ORDER_STATUSES = [
  'placed', 'paid', 'fulfilled', 'completed', 'cancelled', 'refunded', 'deleted', 'abandoned',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const Address = z.object({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  provinceCode: z.string().nullable(),
  postalCode: z.string().nullable(),
  /** ISO 3166-1 alpha-2, upper case, or null when unknown. */
  country: z.string().length(2).nullable(),
  phone: z.string().nullable(),
});
export type Address = z.infer<typeof Address>;

export const Customer = z.object({
  id: z.string().nullable(), // null for guests
  email: z.string().nullable(),
  phone: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  /** Marketing consent as the platform reports it; null when it says nothing. */
  acceptsMarketing: z.boolean().nullable(),
  locale: z.string().nullable(),
});
export type Customer = z.infer<typeof Customer>;

export const LineItem = z.object({
  id: z.string(),
  productId: z.string().nullable(),
  variantId: z.string().nullable(),
  sku: z.string().nullable(),
  /** The product's name without the variant ("Oud Perfume"), as Shopify's `title`; a store that shows one name joins the two. */
  name: z.string(),
  /** The variant in the buyer's words ("50ml", "M / Forest"); null for a product without variants. */
  variantName: z.string().nullable(),
  quantity: z.number().int(),
  /** Price of one unit before discounts (tax included when the order's taxesIncluded). */
  unitPrice: Minor,
  /** unitPrice × quantity. */
  subtotal: Minor,
  /** Line-level plus allocated order-level discounts. */
  discount: Minor,
  /** subtotal − discount. */
  total: Minor,
  tax: Minor,
  taxClass: z.string().nullable(),
  url: z.string().nullable(),
  imageUrl: z.string().nullable(),
  category: z.string().nullable(),
  giftCard: z.boolean(),
  requiresShipping: z.boolean(),
  attributes: z.record(z.string(), z.string()),
});
export type LineItem = z.infer<typeof LineItem>;

/** The money of a line, as mappings compute it before the rest of the line. */
export type LineAmounts = Pick<LineItem, 'unitPrice' | 'subtotal' | 'discount' | 'total' | 'tax'>;

export const Refund = z.object({
  id: z.string(),
  createdAt: Iso,
  amount: Minor,
  reason: z.string().nullable(),
  lineItems: z.array(z.object({ lineItemId: z.string(), quantity: z.number().int(), amount: Minor })),
});
export type Refund = z.infer<typeof Refund>;

export const Tracking = z.object({
  company: z.string().nullable(),
  number: z.string().nullable(),
  url: z.string().nullable(),
});
export type Tracking = z.infer<typeof Tracking>;

export const Order = z.object({
  /** `shopify:<shop domain>:<order id>` or `woocommerce:<store host>:<order id>`. */
  key: z.string(),
  source: z.object({
    platform: z.enum(PLATFORMS),
    shop: z.string(),
    orderId: z.string(),
    orderNumber: z.string().nullable(),
  }),
  status: z.enum(ORDER_STATUSES),
  /** The platform's own words, kept for stores that take free text. */
  platformStatus: z.string().nullable(),
  financialStatus: z.string().nullable(),
  fulfillmentStatus: z.string().nullable(),
  createdAt: Iso,
  updatedAt: Iso,
  completedAt: Iso.nullable(),
  cancelledAt: Iso.nullable(),
  cancelReason: z.string().nullable(),
  currency: z.string().length(3),
  /** What the buyer saw when it differs from the shop currency (Shopify presentment, Woo multi-currency). */
  presentment: z.object({ currency: z.string().length(3), total: Minor }).nullable(),
  taxesIncluded: z.boolean(),
  /**
   * Invariant: total = Σ lineItems.subtotal − discount + shipping + fees (+ tax unless taxesIncluded),
   * and discount = Σ lineItems.discount.
   */
  totals: z.object({
    subtotal: Minor,
    discount: Minor,
    shipping: Minor,
    fees: Minor,
    tax: Minor,
    total: Minor,
    refunded: Minor,
  }),
  customer: Customer.nullable(),
  billingAddress: Address.nullable(),
  shippingAddress: Address.nullable(),
  lineItems: z.array(LineItem),
  shipping: z.object({
    method: z.string().nullable(),
    tracking: z.array(Tracking),
  }),
  paymentMethod: z.string().nullable(),
  discountCodes: z.array(z.string()),
  refunds: z.array(Refund),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  test: z.boolean(),
});
export type Order = z.infer<typeof Order>;

/** Amount the totals invariant is off by; 0 for a consistent order. */
export function totalsDiscrepancy(order: Order): number {
  const t = order.totals;
  const lines = order.lineItems.reduce((sum, l) => sum + l.subtotal, 0);
  const expected = lines - t.discount + t.shipping + t.fees + (order.taxesIncluded ? 0 : t.tax);
  return t.total - expected;
}

/** A decimal id in one spelling ("0007" → "7"), so an id written with leading zeros is not an order of its own. */
export function plainDigits(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

export function orderKey(platform: Platform, shop: string, orderId: string): string {
  return `${platform}:${shop}:${orderId}`;
}
