import { allocate, MoneyFormatError, toMinor, type LineAmounts, type Order } from '../../../src/core/canonical/index.ts';
import { WooMappingError } from './errors.ts';
import type { WooOrder } from './wire.ts';

/** Decimal string or float → minor units, naming the field when it is not money. */
export function money(value: string | number | null | undefined, exponent: number, field: string): number {
  try {
    return toMinor(value, exponent);
  } catch (err) {
    if (err instanceof MoneyFormatError) throw new WooMappingError(field, err.message);
    throw err;
  }
}

export interface WooAmounts {
  taxesIncluded: boolean;
  /** Aligned with line_items. */
  lines: LineAmounts[];
  totals: Order['totals'];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Turns Woo's amounts into canonical ones so that
 *   total = Σ line.subtotal − discount + shipping + fees (+ tax unless taxesIncluded), discount = Σ line.discount.
 * Woo stores line subtotal/total and shipping/fees ex tax, and `total` gross. With prices_include_tax the
 * canonical line, shipping, fee and discount amounts are gross (amount + its tax), since tax is not added on top.
 * Woo rounds each line in the REST output but the order total from unrounded line totals, so a residual of a
 * few minor units can remain: it is folded into the discount (that is where fractional line totals come from),
 * or, with no discount to absorb it, into the biggest line (per-line rounding of tax-inclusive amounts).
 * A larger residual (a plugin changed the total without a line, e.g. a gift card) is reported as a fee.
 */
export function wooAmounts(o: WooOrder, exponent: number): WooAmounts {
  const gross = o.prices_include_tax === true;
  const m = (v: string | number | null | undefined, field: string) => money(v, exponent, field);

  const raw = (o.line_items ?? []).map((l, i) => {
    const f = `line_items.${i}`;
    const hasSubtotal = l.subtotal !== null && l.subtotal !== undefined && l.subtotal !== '';
    // `price` is the discounted unit price ex tax (a float): only a fallback when subtotal is missing
    const net = hasSubtotal ? m(l.subtotal, `${f}.subtotal`) : m(l.price, `${f}.price`) * l.quantity;
    const netTotal = l.total === null || l.total === undefined || l.total === '' ? net : m(l.total, `${f}.total`);
    const subTax = m(l.subtotal_tax, `${f}.subtotal_tax`);
    const totTax = m(l.total_tax, `${f}.total_tax`);
    const subtotal = gross ? net + subTax : net;
    const total = gross ? netTotal + totTax : netTotal;
    return { subtotal, rawDiscount: subtotal - total, tax: totTax, quantity: l.quantity };
  });

  const shipping = m(o.shipping_total, 'shipping_total') + (gross ? m(o.shipping_tax, 'shipping_tax') : 0);
  let fees = sum(
    (o.fee_lines ?? []).map(
      (fl, i) => m(fl.total, `fee_lines.${i}.total`) + (gross ? m(fl.total_tax, `fee_lines.${i}.total_tax`) : 0),
    ),
  );
  const tax = m(o.total_tax, 'total_tax');
  const total = m(o.total, 'total');
  let discount = m(o.discount_total, 'discount_total') + (gross ? m(o.discount_tax, 'discount_tax') : 0);

  const residual = total - (sum(raw.map((r) => r.subtotal)) - discount + shipping + fees + (gross ? 0 : tax));
  const roundingSlack = raw.length + (o.fee_lines?.length ?? 0) + (o.shipping_lines?.length ?? 0) + 1;
  if (residual !== 0 && raw.length > 0 && Math.abs(residual) <= roundingSlack) {
    if (discount !== 0 && discount - residual >= 0) discount -= residual;
    else {
      // per-line tax rounding of tax-inclusive amounts: the biggest line absorbs it
      const biggest = raw.reduce((best, r) => (r.subtotal > best.subtotal ? r : best), raw[0]!);
      biggest.subtotal += residual;
    }
  } else fees += residual;
  const subtotal = sum(raw.map((r) => r.subtotal));
  if (raw.length === 0 && discount !== 0) {
    // no line can carry it: a discount without lines is a negative fee
    fees -= discount;
    discount = 0;
  }

  const shares = allocate(discount, raw.map((r) => Math.max(0, r.rawDiscount)));
  const lines = raw.map((r, i) => {
    const d = shares[i] ?? 0;
    return {
      unitPrice: r.quantity !== 0 ? Math.round(r.subtotal / r.quantity) : r.subtotal,
      subtotal: r.subtotal,
      discount: d,
      total: r.subtotal - d,
      tax: r.tax,
    };
  });

  const refunded = sum((o.refunds ?? []).map((r, i) => Math.abs(m(r.total, `refunds.${i}.total`))));
  return {
    taxesIncluded: gross,
    lines,
    totals: { subtotal, discount, shipping, fees, tax, total, refunded },
  };
}
