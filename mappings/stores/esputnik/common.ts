import {
  allocate, currencyExponent, toMajorNumber, type Address, type LineItem, type Order, type OrderStatus,
} from '../../../src/core/canonical/index.ts';
import type { EsputnikItem, EsputnikOrderStatus } from './types.ts';

/** Choices both eSputnik kinds share (they come from the destination's settings). */
export interface EsputnikMappingOptions {
  /** Prepended to the platform order id, so several shops can share one eSputnik account. */
  orderIdPrefix: string;
  /**
   * Prepended to the platform customer id (`externalCustomerId`, which eSputnik ties orders to a contact by);
   * null = the order id prefix: shops sharing an account can share customer ids too (WooCommerce counts from 1).
   */
  customerIdPrefix: string | null;
  /** eSputnik status for a fulfilled (shipped) order; DELIVERED counts it as revenue in eSputnik. */
  fulfilledStatus: Extract<EsputnikOrderStatus, 'DELIVERED' | 'IN_PROGRESS'>;
  /** Shopify/WooCommerce test orders (`order.test`) are sent only when true; otherwise skipped. */
  sendTestOrders: boolean;
  /** Image URL for a line the platform sent without one; null = the item's url stands in. */
  itemImageUrl: string | null;
}

export const DEFAULT_MAPPING_OPTIONS: EsputnikMappingOptions = {
  orderIdPrefix: '', customerIdPrefix: null, fulfilledStatus: 'DELIVERED', sendTestOrders: false, itemImageUrl: null,
};

/** Why a test order is not sent (the skip reason both kinds give). */
export const TEST_ORDER_SKIP = 'test order (sendTestOrders is off)';

/** A checkout the buyer completed: no abandoned cart any more (its purchase arrives as its own order). */
export function isCompletedCheckout(order: Order): boolean {
  return order.status === 'abandoned' && order.completedAt !== null;
}

/** A platform test order the destination is not set to send. */
export function isUnwantedTestOrder(order: Order, options: EsputnikMappingOptions): boolean {
  return order.test && !options.sendTestOrders;
}

/** Canonical status → eSputnik order status ('deleted' only reaches here on the events path). */
export function esputnikStatus(status: OrderStatus, options: EsputnikMappingOptions): EsputnikOrderStatus {
  switch (status) {
    case 'placed': return 'INITIALIZED';
    case 'paid': return 'IN_PROGRESS';
    case 'fulfilled': return options.fulfilledStatus;
    case 'completed': return 'DELIVERED';
    case 'cancelled': return 'CANCELLED';
    case 'refunded': return 'CANCELLED';
    case 'deleted': return 'CANCELLED';
    case 'abandoned': return 'ABANDONED_SHOPPING_CART';
  }
}

export function externalOrderId(order: Order, options: EsputnikMappingOptions): string {
  return options.orderIdPrefix + order.source.orderId;
}

/** "2024-03-08T09:30:00.000Z" → "2024-03-08T09:30:00+00:00", the shape of the document's example. */
export function esputnikDate(utcIso: string): string {
  return `${utcIso.slice(0, 19)}+00:00`;
}

/** eSputnik wants phones in international format, digits only ("380501234567"). */
export function phoneDigits(phone: string | null | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length > 0 ? digits : undefined;
}

/** Who the order belongs to: customer first, then the addresses (guests carry their data there). */
export interface Contact {
  externalCustomerId?: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
}

export function contactOf(order: Order, options: EsputnikMappingOptions): Contact {
  const c = order.customer;
  const b = order.billingAddress;
  const s = order.shippingAddress;
  return compact({
    externalCustomerId: c?.id ? (options.customerIdPrefix ?? options.orderIdPrefix) + c.id : undefined,
    email: nonEmpty(c?.email),
    phone: phoneDigits(c?.phone ?? b?.phone ?? s?.phone),
    firstName: nonEmpty(c?.firstName ?? b?.firstName ?? s?.firstName),
    lastName: nonEmpty(c?.lastName ?? b?.lastName ?? s?.lastName),
  });
}

/** One line of text: "street, street 2, postal city, province, country". */
export function addressLine(address: Address | null): string | undefined {
  if (!address) return undefined;
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  const parts = [address.address1, address.address2, cityLine, address.province, address.country];
  return nonEmpty(parts.filter((p): p is string => !!p && p.trim() !== '').join(', '));
}

/**
 * Item costs in minor units that add up exactly to total − shipping, each line at what the buyer paid for it: its
 * discounted total, plus its own tax when prices are before tax. Only what no line owns is spread, with `allocate`:
 * tax (shipping's, a taxed fee's) over the lines by their own tax, so an untaxed line (a gift card) takes none, or by
 * value when no line is taxed; fees (and whatever else the platform's total holds) by value. A line's value is its
 * cost before the spreading (its subtotal when every one is 0).
 */
export function itemCostsMinor(order: Order): number[] {
  const lines = order.lineItems;
  const owned = lines.map((l) => l.total + (order.taxesIncluded ? 0 : l.tax));
  // with prices including tax, shipping's tax is inside `shipping`, which eSputnik takes apart from the items
  const unownedTax = order.taxesIncluded ? 0 : order.totals.tax - sum(lines.map((l) => l.tax));
  const rest = order.totals.total - order.totals.shipping - sum(owned) - unownedTax;
  const values = owned.some((v) => v > 0) ? owned.map((v) => Math.max(0, v)) : lines.map((l) => Math.max(0, l.subtotal));
  const taxes = lines.map((l) => Math.max(0, l.tax));
  const taxShares = allocate(unownedTax, taxes.some((t) => t > 0) ? taxes : values);
  const restShares = allocate(rest, values);
  return owned.map((cost, i) => cost + taxShares[i]! + restShares[i]!);
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function itemId(line: LineItem): string {
  return line.productId ?? line.variantId ?? line.sku ?? line.id;
}

/**
 * The order's items. v1/orders requires url and imageUrl on each, which platforms often lack (Shopify's lines never
 * carry an image): url falls back to the shop's home page; imageUrl to `itemImageUrl`, else to the item's url, a
 * page rather than a picture, yet never an empty value a strict store would refuse the whole order for.
 */
export function esputnikItems(order: Order, options: Pick<EsputnikMappingOptions, 'itemImageUrl'>): EsputnikItem[] {
  const exp = currencyExponent(order.currency);
  const costs = itemCostsMinor(order);
  return order.lineItems.map((line, i) => compact({
    externalItemId: itemId(line),
    name: line.name,
    category: nonEmpty(line.category),
    quantity: line.quantity,
    cost: toMajorNumber(costs[i] ?? 0, exp),
    url: line.url ?? `https://${order.source.shop}/`,
    imageUrl: line.imageUrl ?? options.itemImageUrl ?? line.url ?? `https://${order.source.shop}/`,
    description: nonEmpty(line.variantName),
  }));
}

export function major(order: Order, minor: number): number {
  return toMajorNumber(minor, currencyExponent(order.currency));
}

export function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}

/** Drops undefined members so the JSON carries no empty keys. */
export function compact<T extends object>(value: T): T {
  // A loop, not Object.fromEntries(Object.entries(…)): that built arrays per field and slow-shaped objects (a third of the mapping's time).
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}

/** FNV-1a 64-bit as 16 hex digits: a stable, dependency-free fingerprint (not a security hash). */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
