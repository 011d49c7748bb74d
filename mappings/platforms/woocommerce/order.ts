import {
  currencyExponent, orderKey, toUtcIso, type Customer, type LineAmounts, type LineItem, type Order, type Refund, type Tracking,
} from '../../../src/core/canonical/index.ts';
import { money, wooAmounts } from './amounts.ts';
import { WooMappingError } from './errors.ts';
import { canonicalStatus, financialStatus, fulfillmentStatus, normalizeWooStatus } from './status.ts';
import { wooProductName, wooVariantName } from './lineNames.ts';
import { blank, mapAddress, metaAttributes } from './text.ts';
import { readWire, WooOrder, type WooLineItem, type WooMeta } from './wire.ts';

export interface WooOrderOptions {
  /** The store's default currency; when the order's differs (multi-currency plugin) `presentment` says so. */
  storeCurrency?: string;
}

const idText = (id: number | string | null | undefined): string | null =>
  id === null || id === undefined || String(id) === '0' ? null : String(id);

function requiredUtc(value: string | null | undefined, field: string): string {
  const iso = toUtcIso(value);
  if (iso === null) throw new WooMappingError(field, `not a date: ${JSON.stringify(value ?? null)}`);
  return iso;
}

/** Absent or empty = not yet; a value that is no date is an unreadable payload, not "never paid". */
function optionalUtc(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined || value === '' ? null : requiredUtc(value, field);
}

/** A REST v3 / webhook order of the store at host `shop` → canonical order. Pure; throws WooMappingError. */
export function mapWooOrder(payload: unknown, shop: string, options: WooOrderOptions = {}): Order {
  const o = readWire(WooOrder, payload, 'order');
  const host = shop.toLowerCase();
  const orderId = String(o.id);
  const currency = o.currency.toUpperCase();
  const exponent = currencyExponent(currency);
  const amounts = wooAmounts(o, exponent);

  const createdAt = requiredUtc(o.date_created_gmt, 'date_created_gmt');
  // date_modified_gmt orders versions (the order guard); a never-modified order is as old as it is
  const updatedAt = o.date_modified_gmt ? requiredUtc(o.date_modified_gmt, 'date_modified_gmt') : createdAt;
  const paidAt = optionalUtc(o.date_paid_gmt, 'date_paid_gmt');
  const completedAt = optionalUtc(o.date_completed_gmt, 'date_completed_gmt');
  const facts = { paid: paidAt !== null, completed: completedAt !== null };
  const status = canonicalStatus(o.status, facts);
  const wooStatus = normalizeWooStatus(o.status);

  const storeCurrency = options.storeCurrency?.toUpperCase();
  return {
    key: orderKey('woocommerce', host, orderId),
    source: { platform: 'woocommerce', shop: host, orderId, orderNumber: o.number === null || o.number === undefined ? null : String(o.number) },
    status,
    platformStatus: wooStatus,
    financialStatus: financialStatus(o.status, { ...facts, total: amounts.totals.total, refunded: amounts.totals.refunded }),
    fulfillmentStatus: fulfillmentStatus(o.status),
    createdAt,
    updatedAt,
    completedAt,
    // Woo keeps no cancellation date: the last modification of a cancelled order is the best witness
    cancelledAt: status === 'cancelled' && wooStatus === 'cancelled' ? updatedAt : null,
    cancelReason: null,
    currency,
    presentment: storeCurrency && storeCurrency !== currency ? { currency, total: amounts.totals.total } : null,
    taxesIncluded: amounts.taxesIncluded,
    totals: amounts.totals,
    customer: mapOrderCustomer(o),
    billingAddress: mapAddress(o.billing),
    shippingAddress: mapAddress(o.shipping),
    lineItems: (o.line_items ?? []).map((l, i) => mapLine(l, amounts.lines[i]!, (o.shipping_lines?.length ?? 0) > 0)),
    shipping: {
      method: blank((o.shipping_lines ?? []).map((s) => blank(s.method_title) ?? blank(s.method_id) ?? '').filter(Boolean).join(', ')),
      tracking: readTracking(o.meta_data),
    },
    paymentMethod: blank(o.payment_method_title) ?? blank(o.payment_method),
    discountCodes: (o.coupon_lines ?? []).map((c) => c.code),
    refunds: (o.refunds ?? []).map((r, i): Refund => ({
      id: String(r.id),
      // the order JSON carries no refund date: the order's modification is when it was last seen refunded
      createdAt: updatedAt,
      amount: Math.abs(money(r.total, exponent, `refunds.${i}.total`)),
      reason: blank(r.reason),
      lineItems: [],
    })),
    tags: [],
    note: blank(o.customer_note),
    attributes: metaAttributes(o.meta_data),
    test: false,
  };
}

function mapOrderCustomer(o: WooOrder): Customer | null {
  const billing = o.billing;
  const customer: Customer = {
    id: idText(o.customer_id), // 0 = guest
    email: blank(billing?.email),
    phone: blank(billing?.phone) ?? blank(o.shipping?.phone),
    firstName: blank(billing?.first_name) ?? blank(o.shipping?.first_name),
    lastName: blank(billing?.last_name) ?? blank(o.shipping?.last_name),
    acceptsMarketing: null, // Woo core has no marketing consent on orders
    locale: null,
  };
  const known = [customer.id, customer.email, customer.phone, customer.firstName, customer.lastName];
  return known.every((v) => v === null) ? null : customer;
}

function mapLine(l: WooLineItem, a: LineAmounts, orderShips: boolean): LineItem {
  const attributes = metaAttributes(l.meta_data);
  const variantId = idText(l.variation_id);
  return {
    id: String(l.id),
    productId: idText(l.product_id),
    variantId,
    sku: blank(l.sku),
    name: wooProductName(l, variantId),
    variantName: wooVariantName(l, variantId),
    quantity: l.quantity,
    unitPrice: a.unitPrice,
    subtotal: a.subtotal,
    discount: a.discount,
    total: a.total,
    tax: a.tax,
    taxClass: l.tax_class === null || l.tax_class === undefined ? null : blank(l.tax_class) ?? 'standard',
    url: null,
    imageUrl: blank(l.image?.src),
    category: null,
    giftCard: false,
    // the order JSON does not say which products are virtual; an order with shipping lines ships its lines
    requiresShipping: orderShips,
    attributes,
  };
}

/** WooCommerce Shipment Tracking keeps its numbers in private meta `_wc_shipment_tracking_items`. */
function readTracking(meta: readonly WooMeta[] | null | undefined): Tracking[] {
  const entry = (meta ?? []).find((m) => m.key === '_wc_shipment_tracking_items');
  if (!entry || !Array.isArray(entry.value)) return [];
  const text = (v: unknown) => (typeof v === 'string' ? blank(v) : null);
  return entry.value.flatMap((item: unknown): Tracking[] => {
    if (typeof item !== 'object' || item === null) return [];
    const t = item as Record<string, unknown>;
    return [{
      company: text(t.tracking_provider) ?? text(t.custom_tracking_provider),
      number: text(t.tracking_number),
      url: text(t.custom_tracking_link),
    }];
  });
}
