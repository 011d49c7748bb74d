// Canonical Order → the Voyado v3 order body (POST /orders, PUT /orders/{orderId}). Pure.
import {
  currencyExponent, toMajorNumber, type Address, type LineItem, type Order, type OrderStatus,
} from '../../../src/core/canonical/index.ts';
import {
  VOYADO_LIMITS, type VoyadoAddress, type VoyadoContact, type VoyadoDelivery, type VoyadoFee, type VoyadoLineItem,
  type VoyadoOrder, type VoyadoStatus,
} from './types.ts';

/** Canonical statuses that travel as an order (deleted → DELETE, abandoned → not an order). */
export type MappableStatus = Exclude<OrderStatus, 'deleted' | 'abandoned'>;

/** A refunded order did not end in a purchase, so it counts as Cancelled unless the shop says otherwise. */
export const DEFAULT_VOYADO_STATUSES: Record<MappableStatus, VoyadoStatus> = {
  placed: 'InProgress',
  paid: 'InProgress',
  fulfilled: 'InProgress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Cancelled',
};

/** The match key types a shop order can fill, in the order tried. */
export const CONTACT_KEY_SOURCES = ['Email', 'MobilePhone', 'ExternalId'] as const;
export type ContactKeySource = (typeof CONTACT_KEY_SOURCES)[number];

export interface VoyadoOrderOptions {
  /** Engage store reference; null = the shop's domain. */
  externalStoreId: string | null;
  channel: string;
  /** Prepended to the platform order id (several shops in one Engage tenant). */
  orderIdPrefix: string;
  /** Prepended to the platform customer id (the ExternalId match key); null = orderIdPrefix: shops sharing a tenant share customer ids. */
  customerIdPrefix: string | null;
  matchKeyTypes: readonly ContactKeySource[];
  statuses: Record<MappableStatus, VoyadoStatus>;
}

export const DEFAULT_VOYADO_ORDER_OPTIONS: VoyadoOrderOptions = {
  externalStoreId: null,
  channel: 'Ecom',
  orderIdPrefix: '',
  customerIdPrefix: null,
  matchKeyTypes: ['Email', 'MobilePhone'],
  statuses: DEFAULT_VOYADO_STATUSES,
};

export type VoyadoOrderResult = { ok: true; order: VoyadoOrder } | { ok: false; reason: string };

export function voyadoOrderId(order: Order, opts: Pick<VoyadoOrderOptions, 'orderIdPrefix'>): string {
  return `${opts.orderIdPrefix}${order.source.orderId}`;
}

export function voyadoStatus(order: Order, opts: Pick<VoyadoOrderOptions, 'statuses'>): VoyadoStatus | null {
  if (order.status === 'deleted' || order.status === 'abandoned') return null;
  return opts.statuses[order.status];
}

/** Free-text status: the platform's own word when it has one ("processing", "partially_refunded"). */
export function externalStatus(order: Order): string {
  return clip(order.platformStatus ?? order.status, VOYADO_LIMITS.externalStatus);
}

export function mapOrderToVoyado(order: Order, opts: VoyadoOrderOptions = DEFAULT_VOYADO_ORDER_OPTIONS): VoyadoOrderResult {
  const status = voyadoStatus(order, opts);
  if (!status) return { ok: false, reason: `a ${order.status} order is not sent as an order` };
  const contact = voyadoContact(order, opts.matchKeyTypes, opts.customerIdPrefix ?? opts.orderIdPrefix);
  if (!contact) {
    return { ok: false, reason: `no ${opts.matchKeyTypes.join(' / ')} on the order to match a Voyado contact (guest without contact details)` };
  }
  const money = moneyOf(order.currency);
  const lines = order.lineItems.filter((l) => l.quantity > 0);
  const items = lines.map((l) => lineItem(l, money));
  const subTotal = lines.reduce((s, l) => s + l.total, 0);
  const lineDiscount = lines.reduce((s, l) => s + l.discount, 0);

  const out: VoyadoOrder = {
    orderId: voyadoOrderId(order, opts),
    contact,
    externalStoreId: clip(opts.externalStoreId ?? order.source.shop, VOYADO_LIMITS.externalStoreId),
    status,
    externalStatus: externalStatus(order),
    currencyCode: order.currency.toUpperCase(),
    channel: opts.channel,
    createdAt: order.createdAt,
    lastChangedAt: order.updatedAt,
    lineItems: { items, subTotal: money(subTotal) },
    payments: {
      items: [{ method: clip(order.paymentMethod ?? 'Unspecified', VOYADO_LIMITS.text), amount: money(order.totals.total) }],
      total: money(order.totals.total),
    },
  };
  const fees = voyadoFees(order, order.totals.tax - lines.reduce((s, l) => s + l.tax, 0), money);
  if (fees.length > 0) out.fees = { items: fees, total: money(order.totals.shipping + order.totals.fees) };
  if (lineDiscount !== 0 || order.discountCodes.length > 0) {
    out.discounts = { items: order.discountCodes.map((code) => ({ code: clip(code, VOYADO_LIMITS.text) })), total: money(lineDiscount) };
  }
  const delivery = voyadoDelivery(order);
  if (delivery) out.delivery = delivery;
  const billing = voyadoAddress(order.billingAddress, order);
  if (billing) out.billingAddress = billing;
  return { ok: true, order: out };
}

/**
 * Shipping, then other fees. The tax no line owns (`unownedTax`: shipping's, and a taxed WooCommerce fee's, which the
 * canonical order keeps together) rides on the first of them as its `taxAmount`, so the order adds up in Voyado's
 * terms; with neither, on a fee of 0 that carries only that tax.
 */
function voyadoFees(order: Order, unownedTax: number, money: (minor: number) => number): VoyadoFee[] {
  const fees: VoyadoFee[] = [];
  if (order.totals.shipping !== 0) {
    fees.push({ type: 'Shipping', ...opt('description', order.shipping.method, VOYADO_LIMITS.text), amount: money(order.totals.shipping) });
  }
  if (order.totals.fees !== 0) fees.push({ type: 'Other', amount: money(order.totals.fees) });
  if (unownedTax !== 0) {
    if (fees.length === 0) fees.push({ type: 'Other', description: 'Tax on no line', amount: 0 });
    fees[0]!.taxAmount = money(unownedTax);
  }
  return fees;
}

/** The first configured key the order can fill; phones lose spaces and punctuation (Engage matches E.164-like text). */
export function voyadoContact(order: Order, types: readonly ContactKeySource[], customerIdPrefix = ''): VoyadoContact | null {
  for (const type of types) {
    const key = contactKey(order, type, customerIdPrefix);
    if (key) return { matchKey: key, matchKeyType: type };
  }
  return null;
}

function contactKey(order: Order, type: ContactKeySource, customerIdPrefix: string): string | null {
  const c = order.customer;
  switch (type) {
    case 'Email':
      return nonEmpty(c?.email?.trim().toLowerCase());
    case 'MobilePhone': {
      const raw = c?.phone ?? order.billingAddress?.phone ?? order.shippingAddress?.phone ?? null;
      return nonEmpty(raw?.replace(/[\s().-]/g, ''));
    }
    case 'ExternalId': {
      const id = nonEmpty(c?.id);
      return id && customerIdPrefix + id;
    }
  }
}

/** Carrier and tracking from the newest shipment that has a number. */
export function voyadoDelivery(order: Order): VoyadoDelivery | null {
  const tracking = [...order.shipping.tracking].reverse().find((t) => t.number) ?? order.shipping.tracking.at(-1) ?? null;
  const method = order.shipping.method ?? tracking?.company ?? null;
  const d: VoyadoDelivery = {
    ...opt('method', method, VOYADO_LIMITS.text),
    ...opt('trackingNumber', tracking?.number ?? null, VOYADO_LIMITS.text),
    ...opt('trackingUri', tracking?.url ?? null, VOYADO_LIMITS.url),
  };
  return Object.keys(d).length > 0 ? d : null;
}

function voyadoAddress(a: Address | null, order: Order): VoyadoAddress | null {
  const c = order.customer;
  const out: VoyadoAddress = {
    ...opt('firstname', a?.firstName ?? c?.firstName ?? null, VOYADO_LIMITS.text),
    ...opt('lastname', a?.lastName ?? c?.lastName ?? null, VOYADO_LIMITS.text),
    ...opt('company', a?.company ?? null, VOYADO_LIMITS.text),
    ...opt('street', a?.address1 ?? null, VOYADO_LIMITS.text),
    ...opt('street2', a?.address2 ?? null, VOYADO_LIMITS.text),
    ...opt('zipCode', a?.postalCode ?? null, VOYADO_LIMITS.text),
    ...opt('city', a?.city ?? null, VOYADO_LIMITS.text),
    ...opt('region', a?.province ?? null, VOYADO_LIMITS.text),
    ...opt('countryCode', a?.country ?? null, 2),
    ...opt('phone', a?.phone ?? c?.phone ?? null, VOYADO_LIMITS.text),
    ...opt('email', c?.email ?? null, VOYADO_LIMITS.text),
  };
  return Object.keys(out).length > 0 ? out : null;
}

function lineItem(l: LineItem, money: (minor: number) => number): VoyadoLineItem {
  const attributes = Object.entries(l.attributes).map(([name, value]) => ({ name, value }));
  return {
    id: l.id,
    // Engage validates article references later and only warns; the most specific id we have stands in for a missing SKU.
    sku: clip(l.sku ?? l.variantId ?? l.productId ?? l.id, VOYADO_LIMITS.sku),
    ...opt('productId', l.productId, VOYADO_LIMITS.text),
    ...opt('variantId', l.variantId, VOYADO_LIMITS.text),
    name: clip(l.variantName ? `${l.name} - ${l.variantName}` : l.name, VOYADO_LIMITS.text),
    quantity: l.quantity,
    unitPrice: money(l.unitPrice),
    grossAmount: money(l.subtotal),
    discountAmount: money(l.discount),
    totalAmount: money(l.total),
    taxAmount: money(l.tax),
    ...opt('taxClass', l.taxClass, VOYADO_LIMITS.text),
    ...opt('productUrl', l.url, VOYADO_LIMITS.url),
    ...opt('imageUrl', l.imageUrl, VOYADO_LIMITS.url),
    ...opt('category', l.category, VOYADO_LIMITS.text),
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}

function moneyOf(currency: string): (minor: number) => number {
  const exponent = currencyExponent(currency);
  return (minor) => toMajorNumber(minor, exponent);
}

/** `{ [key]: value }` when the value is a non-empty string, clipped; `{}` otherwise. */
function opt<K extends string>(key: K, value: string | null | undefined, max: number): { [P in K]?: string } {
  const v = nonEmpty(value);
  return (v ? { [key]: clip(v, max) } : {}) as { [P in K]?: string };
}

function nonEmpty(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && value.trim() !== '' ? value : null;
}

/** Cuts at a code-point boundary so a clipped emoji never leaves half a surrogate pair. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value; // .NET counts UTF-16 units, as JavaScript does
  return value.slice(0, max).replace(/[\uD800-\uDBFF]$/, '');
}
