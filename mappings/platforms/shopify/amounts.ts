import { allocate, type LineAmounts, type Order } from '../../../src/core/canonical/index.ts';
import { sum } from './values.ts';

/** One line's amounts as read from the payload, in minor units of the order currency. */
export interface RawLine {
  unitPrice: number;
  quantity: number;
  /** Line-level plus order-level discounts Shopify allocated to this line. */
  discount: number;
  tax: number;
}

export interface RawAmounts {
  lines: RawLine[];
  /** Σ shipping line prices minus the discounts allocated to them. */
  shipping: number;
  /** Σ discounts allocated to shipping lines (already netted out of `shipping`). */
  shippingDiscount: number;
  /** The payload's total discount, or null when it has none. */
  totalDiscounts: number | null;
  tax: number;
  total: number;
  /** Duties and additional fees that Shopify itemises. */
  fees: number;
  taxesIncluded: boolean;
}

/**
 * Builds canonical amounts such that
 *   total = Σ line.subtotal − discount + shipping + fees (+ tax unless taxesIncluded), discount = Σ line.discount.
 * `total` is always Shopify's own total. A discount the payload totals but never allocated (old or
 * API-created orders) is spread over the lines by their discounted value; what still differs (tips Shopify
 * does not itemise, cash rounding) is reported as a fee, so the invariant holds without touching the total.
 */
export function canonicalAmounts(raw: RawAmounts): { lines: LineAmounts[]; totals: Omit<Order['totals'], 'refunded'> } {
  const lines = raw.lines.map((l) => {
    const subtotal = l.unitPrice * l.quantity;
    return { unitPrice: l.unitPrice, subtotal, discount: l.discount, total: subtotal - l.discount, tax: l.tax };
  });
  const allocated = sum(lines.map((l) => l.discount));
  const unallocated = raw.totalDiscounts === null ? 0 : raw.totalDiscounts - allocated - raw.shippingDiscount;
  // negative means total_discounts leaves shipping discounts out: nothing is missing from the lines
  if (unallocated > 0 && lines.length > 0) {
    const shares = allocate(unallocated, lines.map((l) => Math.max(0, l.total)));
    lines.forEach((l, i) => {
      l.discount += shares[i]!;
      l.total = l.subtotal - l.discount;
    });
  }
  const subtotal = sum(lines.map((l) => l.subtotal));
  const discount = sum(lines.map((l) => l.discount));
  const expected = subtotal - discount + raw.shipping + raw.fees + (raw.taxesIncluded ? 0 : raw.tax);
  const residual = raw.total - expected;
  return {
    lines,
    totals: { subtotal, discount, shipping: raw.shipping, fees: raw.fees + residual, tax: raw.tax, total: raw.total },
  };
}
