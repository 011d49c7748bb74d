import { currencyExponent, orderKey, type LineItem, type Order } from '../../../src/core/canonical/index.ts';
import { canonicalAmounts } from './amounts.ts';
import { readWire } from './errors.ts';
import { lineFields, shippingMethod } from './order.ts';
import { mapAddress, mapCustomer } from './people.ts';
import { blank, minor, nameValues, optionalId, optionalUtc, requiredUtc, sum } from './values.ts';
import { ShopifyCheckout } from './wire.ts';

/**
 * checkouts/create|update (an abandoned cart until completed) → canonical order with status 'abandoned',
 * key `shopify:<shop>:checkout:<token>`. Checkout money has no shop-money twin: every amount is in the
 * buyer's (presentment) currency, so that is the canonical currency and `presentment` is null.
 */
export function mapShopifyCheckout(payload: unknown, shop: string): Order {
  const c = readWire(ShopifyCheckout, payload);
  const orderId = `checkout:${c.token}`;
  const currency = (c.presentment_currency ?? c.currency).toUpperCase();
  const exponent = currencyExponent(currency);
  const m = (v: string | number | null | undefined, field: string) => minor(v, exponent, field);

  const shippingLines = c.shipping_lines ?? [];
  const shippingDiscount = sum(shippingLines.flatMap((s, i) => [...(s.discount_allocations ?? []), ...(s.applied_discounts ?? [])]
    .map((a, j) => m(a.amount, `shipping_lines[${i}].applied_discounts[${j}].amount`))));
  const amounts = canonicalAmounts({
    lines: c.line_items.map((l, i) => {
      const f = `line_items[${i}]`;
      // checkouts name line discounts either way depending on the API version; the allocations are newer
      const allocations = l.discount_allocations?.length ? l.discount_allocations : l.applied_discounts ?? [];
      return {
        unitPrice: m(l.price, `${f}.price`),
        quantity: l.quantity,
        discount: sum(allocations.map((a, j) => m(a.amount, `${f}.discount_allocations[${j}].amount`))),
        tax: sum((l.tax_lines ?? []).map((t, j) => m(t.price, `${f}.tax_lines[${j}].price`))),
      };
    }),
    shipping: sum(shippingLines.map((s, i) => m(s.price, `shipping_lines[${i}].price`))) - shippingDiscount,
    shippingDiscount,
    totalDiscounts: c.total_discounts === null || c.total_discounts === undefined ? null : m(c.total_discounts, 'total_discounts'),
    tax: m(c.total_tax, 'total_tax'),
    total: m(c.total_price, 'total_price'),
    fees: m(c.total_duties, 'total_duties'),
    taxesIncluded: c.taxes_included === true,
  });

  const createdAt = requiredUtc(c.created_at, 'created_at');
  return {
    key: orderKey('shopify', shop, orderId),
    source: { platform: 'shopify', shop, orderId, orderNumber: null },
    status: 'abandoned',
    platformStatus: c.completed_at ? 'completed' : 'open',
    financialStatus: null,
    fulfillmentStatus: null,
    createdAt,
    updatedAt: optionalUtc(c.updated_at, 'updated_at') ?? createdAt,
    completedAt: optionalUtc(c.completed_at, 'completed_at'),
    cancelledAt: null,
    cancelReason: null,
    currency,
    presentment: null,
    taxesIncluded: c.taxes_included === true,
    totals: { ...amounts.totals, refunded: 0 },
    customer: mapCustomer(c),
    billingAddress: mapAddress(c.billing_address),
    shippingAddress: mapAddress(c.shipping_address),
    lineItems: c.line_items.map((l, i): LineItem => {
      const f = `line_items[${i}]`;
      return {
        // checkout lines have no numeric id: `key` is their stable handle
        id: blank(l.key) ?? optionalId(l.id, `${f}.id`) ?? optionalId(l.variant_id, `${f}.variant_id`) ?? String(i),
        ...lineFields(l, amounts.lines[i]!, f),
      };
    }),
    shipping: { method: shippingMethod(shippingLines), tracking: [] },
    paymentMethod: blank(c.gateway),
    discountCodes: (c.discount_codes ?? []).map((d) => blank(d.code)).filter((x): x is string => x !== null),
    refunds: [],
    tags: [],
    note: blank(c.note),
    attributes: nameValues(c.note_attributes),
    test: false,
  };
}
