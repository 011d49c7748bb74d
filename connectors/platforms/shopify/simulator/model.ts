import { currencyExponent, formatMinor } from '../../../../src/core/canonical/index.ts';

// The simulated shop's order, platform-neutral in form: one record renders both as Admin GraphQL and as the
// REST/webhook JSON, so the two mappings can be held side by side on the same order. Money is integer minor
// units, each amount in shop and in presentment currency (Shopify's MoneyBag). Ids are decimal digit strings
// (some exceed 2^53, as Shopify's do).

export interface SimMoney {
  shop: number;
  presentment: number;
}

export interface SimTaxLine {
  title: string;
  rate: number;
  price: SimMoney;
}

export interface SimAttribute {
  name: string;
  value: string;
}

export interface SimLine {
  id: string;
  productId: string | null;
  variantId: string | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  quantity: number;
  price: SimMoney;
  /** Line- and order-level discounts Shopify allocated to this line. */
  discountAllocations: SimMoney[];
  /** The deprecated total_discount / totalDiscountSet. */
  totalDiscount: SimMoney;
  taxLines: SimTaxLine[];
  giftCard: boolean;
  requiresShipping: boolean;
  taxable: boolean;
  properties: SimAttribute[];
}

export interface SimShippingLine {
  id: string;
  title: string;
  code: string | null;
  price: SimMoney;
  discountAllocations: SimMoney[];
  taxLines: SimTaxLine[];
}

export type SimFulfillmentStatus = 'success' | 'cancelled' | 'error' | 'failure' | 'open' | 'pending';

export interface SimFulfillment {
  id: string;
  status: SimFulfillmentStatus;
  company: string | null;
  numbers: string[];
  urls: string[];
  createdMs: number;
}

export type SimTransactionKind = 'sale' | 'authorization' | 'capture' | 'refund' | 'void';
export type SimTransactionStatus = 'success' | 'failure' | 'pending' | 'error';

export interface SimTransaction {
  id: string;
  kind: SimTransactionKind;
  status: SimTransactionStatus;
  gateway: string;
  amount: SimMoney;
  createdMs: number;
}

export interface SimRefundLine {
  id: string;
  lineItemId: string;
  quantity: number;
  subtotal: SimMoney;
  tax: SimMoney;
}

export interface SimRefund {
  id: string;
  createdMs: number;
  note: string | null;
  lines: SimRefundLine[];
  transactions: SimTransaction[];
}

export interface SimAddress {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  /** ISO 3166-1 alpha-2, upper case (GraphQL's CountryCode enum). */
  countryCode: string | null;
  phone: string | null;
}

export type SimConsent = 'subscribed' | 'not_subscribed' | 'unsubscribed' | 'pending' | 'redacted' | 'invalid';

export interface SimCustomer {
  id: string;
  /** null where Shopify withholds protected customer data from the app. */
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  /** null: the customer has no email marketing consent record. */
  consent: SimConsent | null;
}

export interface SimDiscountCode {
  code: string;
  amount: SimMoney;
  type: 'percentage' | 'fixed_amount' | 'shipping';
}

export type SimFinancialStatus =
  'pending' | 'authorized' | 'partially_paid' | 'paid' | 'partially_refunded' | 'refunded' | 'voided' | 'expired';
export type SimFulfillmentState = 'fulfilled' | 'partial' | 'restocked' | null;

export interface SimOrder {
  id: string;
  /** order_number (the number in `name` without prefix). */
  number: number;
  name: string;
  createdMs: number;
  updatedMs: number;
  processedMs: number;
  closedMs: number | null;
  cancelledMs: number | null;
  cancelReason: 'customer' | 'fraud' | 'inventory' | 'declined' | 'other' | 'staff' | null;
  currency: string;
  presentmentCurrency: string;
  taxesIncluded: boolean;
  test: boolean;
  email: string | null;
  phone: string | null;
  customerLocale: string | null;
  buyerAcceptsMarketing: boolean;
  sourceName: string;
  customer: SimCustomer | null;
  billing: SimAddress | null;
  shipping: SimAddress | null;
  lines: SimLine[];
  shippingLines: SimShippingLine[];
  discountCodes: SimDiscountCode[];
  /** null when the order carries no total discount (old REST payloads): no unallocated discount then. */
  totalDiscounts: SimMoney | null;
  totalTax: SimMoney | null;
  totalPrice: SimMoney;
  totalTip: SimMoney;
  duties: SimMoney | null;
  additionalFees: SimMoney | null;
  financialStatus: SimFinancialStatus | null;
  fulfillmentStatus: SimFulfillmentState;
  fulfillments: SimFulfillment[];
  refunds: SimRefund[];
  /** Payments (gift card and others); GraphQL `transactions`. The REST order JSON carries only the gateway names. */
  transactions: SimTransaction[];
  gatewayNames: string[];
  tags: string[];
  note: string | null;
  noteAttributes: SimAttribute[];
}

export const sumMoney = (xs: readonly SimMoney[]): SimMoney =>
  xs.reduce((a, b) => ({ shop: a.shop + b.shop, presentment: a.presentment + b.presentment }), { shop: 0, presentment: 0 });

export const ZERO: SimMoney = { shop: 0, presentment: 0 };

/** "19.99" with the currency's decimals (REST JSON prints every digit). */
export const restAmount = (minor: number, currency: string): string => formatMinor(minor, currencyExponent(currency));

/** Shopify's GraphQL Decimal prints like Ruby's BigDecimal: trailing zeros dropped, one kept ("19.9", "3800.0"). */
export function graphqlDecimal(minor: number, currency: string): string {
  const text = formatMinor(minor, currencyExponent(currency));
  if (!text.includes('.')) return `${text}.0`;
  return text.replace(/0+$/, '').replace(/\.$/, '.0');
}

/** 2026-03-14T09:15:30Z: GraphQL DateTime, UTC, whole seconds. */
export const graphqlTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** 2026-03-14T10:15:30+01:00: REST time in the shop's time zone. */
export function restTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const gid = (type: string, id: string): string => `gid://shopify/${type}/${id}`;

/** The decimal id in `gid://shopify/<type>/<id>`, or null when `value` is not one of that type. */
export function gidId(value: string, type?: string): string | null {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
  if (!m || (type !== undefined && m[1] !== type)) return null;
  return m[2]!;
}
