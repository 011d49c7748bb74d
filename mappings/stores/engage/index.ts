// Canonical order → Engage Order History order (seed 000). Pure and cheap: Engage is the throughput store.
import {
  currencyExponent, toMajorNumber,
  type Address, type EventType, type LineItem, type Order, type OrderStatus,
} from '../../../src/core/canonical/index.ts';
import { toEngageInteger, type EngageLineItem, type EngageOrder } from './payload.ts';

export * from './payload.ts';

/** Engage's `status` is free text; its example ("completed") and field names follow WooCommerce, so we speak WooCommerce. */
export const DEFAULT_ENGAGE_STATUSES: Record<Exclude<OrderStatus, 'abandoned'>, string> = {
  placed: 'pending',
  paid: 'processing',
  fulfilled: 'completed',
  completed: 'completed',
  cancelled: 'cancelled',
  refunded: 'refunded',
  // No delete endpoint: a resend overwrites, so a deleted order is overwritten with this status.
  deleted: 'deleted',
};
export type EngageStatusMap = typeof DEFAULT_ENGAGE_STATUSES;

export interface EngageMappingOptions {
  events: readonly EventType[];
  origin: 'webhook' | 'resync' | 'replay';
  /** Epoch ms, for the two-year window. */
  now: number;
  /** Orders created longer ago are refused locally; 0 = leave it to Engage. */
  maxOrderAgeDays: number;
  sendTestOrders: boolean;
  statuses: EngageStatusMap;
}

export type EngageMapping =
  | { kind: 'send'; order: EngageOrder }
  /** Nothing for Engage to hold: counts as done. */
  | { kind: 'skip'; reason: string }
  /** Engage could never accept it: goes to the dead letters with this reason. */
  | { kind: 'reject'; reason: string };

const DAY_MS = 86_400_000;

export function mapOrderToEngage(order: Order, opts: EngageMappingOptions): EngageMapping {
  if (order.status === 'abandoned') return { kind: 'skip', reason: 'abandoned checkout: not an order' };
  if (order.test && !opts.sendTestOrders) return { kind: 'skip', reason: 'test order' };
  const deleted = order.status === 'deleted';
  // Deleted before Engage ever got it (created is still pending in the same delivery): nothing to overwrite.
  if (deleted && opts.events.includes('order.created')) {
    return { kind: 'skip', reason: 'deleted before it was ever sent' };
  }
  // History older than Engage keeps is no refusal to look at: a backfill leaves it out.
  const age = tooOld(order, opts);
  if (age && opts.origin === 'resync') return { kind: 'skip', reason: `history beyond Engage's window: ${age}` };
  const result = buildOrder(order, opts);
  // A deleted order too thin to send (a bare tombstone) was never sent either.
  if (typeof result === 'string') return deleted ? { kind: 'skip', reason: `deleted; ${result}` } : { kind: 'reject', reason: result };
  return { kind: 'send', order: result };
}

/** Why the order is older than Engage keeps, or null. */
function tooOld(order: Order, opts: EngageMappingOptions): string | null {
  if (opts.maxOrderAgeDays > 0 && Date.parse(order.createdAt) < opts.now - opts.maxOrderAgeDays * DAY_MS) {
    return `created ${order.createdAt}: Engage takes orders from the last ${opts.maxOrderAgeDays} days only`;
  }
  return null;
}

/** The payload, or why Engage cannot take this order. */
function buildOrder(order: Order, opts: EngageMappingOptions): EngageOrder | string {
  const orderId = toEngageInteger(order.source.orderId);
  if (orderId === null) return `order id "${order.source.orderId}" is not an integer Engage can store (order_id must be an integer up to 2^63-1)`;

  const age = tooOld(order, opts);
  if (age) return age;

  const customer = order.customer;
  const email = customer?.email || null;
  if (!email) return 'no e-mail address: Engage requires email';

  const address = pickAddress(order.billingAddress, order.shippingAddress);
  if (!address?.city) return 'no billing or shipping city: Engage requires city';
  if (!address.country) return 'no billing or shipping country: Engage requires country';

  const exponent = currencyExponent(order.currency);
  const lineItems: EngageLineItem[] = [];
  for (const line of order.lineItems) {
    const item = mapLineItem(line, exponent, order.taxesIncluded);
    if (item) lineItems.push(item);
  }
  if (lineItems.length === 0) return 'no line item with a product id: Engage requires line_items with line_item_product_id';

  const out: EngageOrder = {
    order_id: orderId,
    status: opts.statuses[order.status as keyof EngageStatusMap],
    email,
    city: address.city,
    country: address.country,
    currency: order.currency,
    date_created_gmt: engageDate(order.createdAt),
    date_modified_gmt: engageDate(order.updatedAt),
    order_value: toMajorNumber(order.totals.total, exponent),
    line_items: lineItems,
  };
  if (order.completedAt) out.completion_date_gmt = engageDate(order.completedAt);
  const firstName = customer?.firstName || address.firstName;
  if (firstName) out.first_name = firstName;
  const lastName = customer?.lastName || address.lastName;
  if (lastName) out.last_name = lastName;
  const phone = customer?.phone || address.phone;
  if (phone) out.phone = phone;
  if (address.postalCode) out.zip_code = address.postalCode;
  return out;
}

/** Billing first (it is the buyer's), when it has the city and country Engage requires; else shipping. */
function pickAddress(billing: Address | null, shipping: Address | null): Address | null {
  for (const address of [billing, shipping]) if (address?.city && address.country) return address;
  // Neither is complete: the one with a city, so the rejection names what is missing.
  return billing?.city ? billing : shipping?.city ? shipping : billing ?? shipping;
}

/** Lines without a catalogue product (custom items, tips) have no product id for Engage to learn from. */
function mapLineItem(line: LineItem, exponent: number, taxesIncluded: boolean): EngageLineItem | null {
  const productId = line.productId === null ? null : toEngageInteger(line.productId);
  if (productId === null) return null;
  const net = beforeTax(line, taxesIncluded);
  const item: EngageLineItem = {
    line_item_product_id: productId,
    line_item_price: toMajorNumber(net.unitPrice, exponent),
    line_item_quantity: line.quantity,
    // WooCommerce's line name carries the variant ("Oud Perfume - 50ml"); the canonical name is the product's alone
    line_item_name: line.variantName ? `${line.name} - ${line.variantName}` : line.name,
    line_item_subtotal: toMajorNumber(net.subtotal, exponent),
    line_item_total: toMajorNumber(net.total, exponent),
    line_item_total_tax: toMajorNumber(net.totalTax, exponent),
  };
  // Tax before discounts: the canonical line keeps only the tax after them, which is the same when there are none.
  if (line.discount === 0) item.line_item_subtotal_tax = toMajorNumber(net.subtotalTax, exponent);
  if (line.sku) item.line_item_sku = line.sku;
  const variationId = line.variantId === null ? null : toEngageInteger(line.variantId);
  if (variationId !== null) item.line_item_variation_id = variationId;
  if (line.taxClass) item.line_item_tax_class = line.taxClass;
  return item;
}

/** A line's amounts as Engage's fields hold them, in minor units. */
interface EngageLineAmounts { unitPrice: number; subtotal: number; subtotalTax: number; total: number; totalTax: number }

/**
 * Engage's line fields are WooCommerce's: price, subtotal and total before tax, the tax beside them. One rule, so that
 * price × quantity = subtotal to the minor unit: the price is the line's amount before tax and discounts ÷ quantity,
 * rounded down to the minor unit; the subtotal is price × quantity, and its tax the rest of what the line cost before
 * discounts (so a tax-inclusive 2 × 1,990 yen of which 361 tax goes as 1,809 × 2 = 3,618 + 362). A line without a
 * discount has total = subtotal and the same tax; a discounted line keeps its total before tax and its tax as they are.
 * The canonical line keeps only the tax after discounts: before them it is that tax scaled by subtotal ÷ total.
 */
function beforeTax(line: LineItem, taxesIncluded: boolean): EngageLineAmounts {
  const discounted = line.discount !== 0;
  const subtotalTax = !discounted || line.total === 0 ? line.tax : Math.round((line.tax * line.subtotal) / line.total);
  const grossSubtotal = taxesIncluded ? line.subtotal : line.subtotal + subtotalTax;
  const total = taxesIncluded ? line.total - line.tax : line.total;
  if (line.quantity <= 0) return { unitPrice: line.unitPrice, subtotal: line.subtotal, subtotalTax, total, totalTax: line.tax };
  const unitPrice = Math.floor((grossSubtotal - subtotalTax) / line.quantity);
  const subtotal = unitPrice * line.quantity;
  if (!discounted) return { unitPrice, subtotal, subtotalTax: grossSubtotal - subtotal, total: subtotal, totalTax: grossSubtotal - subtotal };
  return { unitPrice, subtotal, subtotalTax: grossSubtotal - subtotal, total, totalTax: line.tax };
}

/** Canonical "2024-05-01T10:20:30.123Z" → documented "2024-05-01T10:20:30+00:00" (Engage lists no "Z" form). */
export function engageDate(iso: string): string {
  return iso.charCodeAt(16) === 58 /* ':' */ ? `${iso.slice(0, 19)}+00:00` : `${iso.slice(0, 16)}:00+00:00`;
}
