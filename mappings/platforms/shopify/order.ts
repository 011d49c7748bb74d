import {
  currencyExponent, orderKey, type LineAmounts, type LineItem, type Order, type Tracking,
} from '../../../src/core/canonical/index.ts';
import { canonicalAmounts } from './amounts.ts';
import { readWire, ShopifyMappingError } from './errors.ts';
import { mapCustomer, mapAddress } from './people.ts';
import { mapRefund } from './refund.ts';
import { shopifyOrderStatus, shopifyPlatformStatus } from './status.ts';
import {
  blank, idOf, minor, nameValues, optionalId, optionalUtc, requiredUtc, ShopMoney, splitTags, sum,
} from './values.ts';
import {
  ShopifyDeletedOrder, ShopifyOrder, type ShopifyFulfillment, type ShopifyLineItem, type ShopifyShippingLine,
} from './wire.ts';

/**
 * An orders/* webhook (or Admin REST order) of the shop `shop` (its myshopify domain) → canonical order,
 * key `shopify:<shop>:<id>`. Pure; throws ShopifyMappingError naming the field it cannot read.
 */
export function mapShopifyOrder(payload: unknown, shop: string): Order {
  const o = readWire(ShopifyOrder, payload);
  const orderId = idOf(o.id, o.admin_graphql_api_id, 'id');
  const currency = o.currency.toUpperCase();
  const money = new ShopMoney(currency, currencyExponent(currency));
  const taxesIncluded = o.taxes_included === true;

  if (!o.total_price_set && (o.total_price === null || o.total_price === undefined)) {
    throw new ShopifyMappingError('total_price', 'missing');
  }
  const amounts = canonicalAmounts({
    lines: o.line_items.map((l, i) => readLine(l, money, `line_items[${i}]`)),
    ...readShipping(o.shipping_lines ?? [], money),
    totalDiscounts: o.total_discounts_set || o.total_discounts !== null && o.total_discounts !== undefined
      ? money.read(o.total_discounts_set, o.total_discounts, 'total_discounts')
      : null,
    tax: money.read(o.total_tax_set, o.total_tax, 'total_tax'),
    total: money.read(o.total_price_set, o.total_price, 'total_price'),
    fees: money.read(o.original_total_duties_set, null, 'original_total_duties')
      + money.read(o.original_total_additional_fees_set, null, 'original_total_additional_fees'),
    taxesIncluded,
  });

  const presentmentCurrency = o.presentment_currency?.toUpperCase() ?? currency;
  const presentmentTotal = o.total_price_set?.presentment_money?.amount;
  const presentment = presentmentCurrency !== currency && presentmentTotal !== undefined
    ? {
      currency: presentmentCurrency,
      total: minor(presentmentTotal, currencyExponent(presentmentCurrency), 'total_price_set.presentment_money.amount'),
    }
    : null;

  const refunds = (o.refunds ?? []).map((r, i) =>
    mapRefund(r, { currency, presentment, total: amounts.totals.total, taxesIncluded }, `refunds[${i}]`));
  const createdAt = requiredUtc(o.created_at, 'created_at');
  const cancelledAt = optionalUtc(o.cancelled_at, 'cancelled_at');
  const closedAt = optionalUtc(o.closed_at, 'closed_at');
  const fulfilled = o.fulfillment_status?.toLowerCase() === 'fulfilled';

  return {
    key: orderKey('shopify', shop, orderId),
    source: { platform: 'shopify', shop, orderId, orderNumber: blank(o.name) ?? blank(o.order_number) },
    status: shopifyOrderStatus(o),
    platformStatus: shopifyPlatformStatus(o),
    financialStatus: blank(o.financial_status),
    fulfillmentStatus: blank(o.fulfillment_status),
    createdAt,
    // updated_at orders versions (the order guard); an order never updated is as old as it is
    updatedAt: optionalUtc(o.updated_at, 'updated_at') ?? createdAt,
    // a fulfilled order that the merchant (or auto-archive) closed is complete, as of its closing
    completedAt: fulfilled && !cancelledAt ? closedAt : null,
    cancelledAt,
    cancelReason: blank(o.cancel_reason),
    currency,
    presentment,
    taxesIncluded,
    totals: { ...amounts.totals, refunded: sum(refunds.map((r) => r.amount)) },
    customer: mapCustomer(o),
    billingAddress: mapAddress(o.billing_address),
    shippingAddress: mapAddress(o.shipping_address),
    lineItems: o.line_items.map((l, i) => mapLine(l, amounts.lines[i]!, `line_items[${i}]`)),
    shipping: { method: shippingMethod(o.shipping_lines ?? []), tracking: readTracking(o.fulfillments ?? []) },
    paymentMethod: blank((o.payment_gateway_names ?? []).map((g) => g.trim()).filter(Boolean).join(', ')),
    discountCodes: (o.discount_codes ?? []).map((d) => blank(d.code)).filter((c): c is string => c !== null),
    refunds,
    tags: splitTags(o.tags),
    note: blank(o.note),
    attributes: nameValues(o.note_attributes),
    test: o.test === true,
  };
}

/** orders/delete: the id of the deleted order. */
export function readShopifyDeletedOrderId(payload: unknown): string {
  const d = readWire(ShopifyDeletedOrder, payload);
  return idOf(d.id, d.admin_graphql_api_id, 'id');
}

function readLine(l: ShopifyLineItem, money: ShopMoney, f: string) {
  const allocations = l.discount_allocations ?? [];
  // total_discount is deprecated and repeats the allocations when both are sent: read it only alone
  const discount = allocations.length > 0
    ? sum(allocations.map((a, j) => money.read(a.amount_set, a.amount, `${f}.discount_allocations[${j}].amount`)))
    : money.read(l.total_discount_set, l.total_discount, `${f}.total_discount`);
  return {
    unitPrice: money.read(l.price_set, l.price, `${f}.price`),
    quantity: l.quantity,
    discount,
    tax: sum((l.tax_lines ?? []).map((t, j) => money.read(t.price_set, t.price, `${f}.tax_lines[${j}].price`))),
  };
}

function readShipping(lines: readonly ShopifyShippingLine[], money: ShopMoney): { shipping: number; shippingDiscount: number } {
  let shipping = 0;
  let shippingDiscount = 0;
  lines.forEach((s, i) => {
    const f = `shipping_lines[${i}]`;
    const discount = sum((s.discount_allocations ?? []).map((a, j) =>
      money.read(a.amount_set, a.amount, `${f}.discount_allocations[${j}].amount`)));
    shipping += money.read(s.price_set, s.price, `${f}.price`) - discount;
    shippingDiscount += discount;
  });
  return { shipping, shippingDiscount };
}

export function shippingMethod(lines: readonly ShopifyShippingLine[]): string | null {
  const titles = lines.map((s) => blank(s.title) ?? blank(s.code)).filter((t): t is string => t !== null);
  return titles.length === 0 ? null : [...new Set(titles)].join(', ');
}

function mapLine(l: ShopifyLineItem, a: LineAmounts, f: string): LineItem {
  return { id: idOf(l.id, l.admin_graphql_api_id, `${f}.id`), ...lineFields(l, a, f) };
}

/** What an order line and a checkout line share. */
type LineSource = Pick<ShopifyLineItem, 'product_id' | 'variant_id' | 'sku' | 'title' | 'variant_title' | 'quantity' | 'gift_card' | 'requires_shipping' | 'properties'>
  & { name?: string | null };

/** A line's canonical fields but its id, the same for order and checkout lines. */
export function lineFields(l: LineSource, a: LineAmounts, f: string): Omit<LineItem, 'id'> {
  return {
    productId: optionalId(l.product_id, `${f}.product_id`),
    variantId: optionalId(l.variant_id, `${f}.variant_id`),
    sku: blank(l.sku),
    // title is the product's name; `name` repeats it with the variant ("IPod Nano - 8gb - green")
    name: blank(l.title) ?? blank(l.name) ?? '',
    variantName: blank(l.variant_title),
    quantity: l.quantity,
    ...a,
    taxClass: null, // Shopify has no tax classes
    url: null,
    imageUrl: null,
    category: null,
    giftCard: l.gift_card === true,
    requiresShipping: l.requires_shipping === true,
    attributes: nameValues(l.properties),
  };
}

// A failed, errored or cancelled fulfillment never shipped: its tracking numbers lead nowhere.
const DEAD_FULFILLMENTS = new Set(['cancelled', 'error', 'failure']);

function readTracking(fulfillments: readonly ShopifyFulfillment[]): Tracking[] {
  const seen = new Set<string>();
  const out: Tracking[] = [];
  for (const f of fulfillments) {
    if (DEAD_FULFILLMENTS.has((f.status ?? '').toLowerCase())) continue;
    const company = blank(f.tracking_company);
    const numbers = (f.tracking_numbers?.length ? f.tracking_numbers : [f.tracking_number ?? '']).map(blank);
    const urls = (f.tracking_urls?.length ? f.tracking_urls : [f.tracking_url ?? '']).map(blank);
    const count = Math.max(numbers.length, urls.length);
    for (let i = 0; i < count; i++) {
      const t = { company, number: numbers[i] ?? null, url: urls[i] ?? null };
      if (t.number === null && t.url === null) continue;
      const id = JSON.stringify(t);
      if (!seen.has(id)) {
        seen.add(id);
        out.push(t);
      }
    }
  }
  return out;
}
