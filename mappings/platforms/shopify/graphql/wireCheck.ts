import { readWire } from '../errors.ts';
import { GraphqlOrder } from './wire.ts';

// The resync maps thousands of GraphQL orders a second, and zod parsing every field copied every object of each
// (~70 µs an order). This hand-written check holds the same shape (wire.ts) without copying: the node is read as it
// is when it passes. It is at least as strict as the schema (wireCheck.test.ts holds them together), so an order it
// refuses is read again by the schema, which passes it if the check was merely stricter, or names the field.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNil = (v: unknown) => v === null || v === undefined;
const text = (v: unknown) => isNil(v) || typeof v === 'string';
const flag = (v: unknown) => isNil(v) || typeof v === 'boolean';
const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
const GID = /^gid:\/\/shopify\/[A-Za-z]+\/\d+(\?.*)?$/;
const gid = (v: unknown) => typeof v === 'string' && GID.test(v);
const CURRENCY = /^[A-Za-z]{3}$/;
const currency = (v: unknown) => typeof v === 'string' && CURRENCY.test(v);
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;
const decimal = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && DECIMAL.test(v));

const money = (v: unknown) => isObj(v) && decimal(v.amount) && text(v.currencyCode);
const bag = (v: unknown) => isObj(v) && money(v.shopMoney) && (isNil(v.presentmentMoney) || money(v.presentmentMoney));
const optionalBag = (v: unknown) => isNil(v) || bag(v);

/** Every element passes (an absent list passes when `optional`). */
function each(v: unknown, item: (x: unknown) => boolean, optional: boolean): boolean {
  if (isNil(v)) return optional;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!item(x)) return false;
  return true;
}

/** A connection `{ nodes, pageInfo? }` whose nodes all pass. */
function connection(v: unknown, node: (x: unknown) => boolean, optional: boolean): boolean {
  if (isNil(v)) return optional;
  if (!isObj(v) || !each(v.nodes, node, false)) return false;
  const info = v.pageInfo;
  return isNil(info) || (isObj(info) && typeof info.hasNextPage === 'boolean');
}

const attribute = (v: unknown) => isObj(v) && typeof v.key === 'string' && text(v.value);
const allocation = (v: unknown) => isObj(v) && bag(v.allocatedAmountSet);
const taxLine = (v: unknown) => isObj(v) && bag(v.priceSet);
const string = (v: unknown) => typeof v === 'string';
const withGid = (v: unknown) => isObj(v) && gid(v.id);
const optionalWithGid = (v: unknown) => isNil(v) || withGid(v);

const address = (v: unknown) => isNil(v) || (isObj(v) && text(v.firstName) && text(v.lastName) && text(v.company) && text(v.address1)
  && text(v.address2) && text(v.city) && text(v.province) && text(v.provinceCode) && text(v.zip) && text(v.countryCodeV2) && text(v.phone));

const lineItem = (v: unknown) => isObj(v) && gid(v.id) && text(v.name) && text(v.title) && text(v.variantTitle) && text(v.sku)
  && count(v.quantity) && flag(v.isGiftCard) && flag(v.requiresShipping) && bag(v.originalUnitPriceSet) && optionalBag(v.totalDiscountSet)
  && each(v.discountAllocations, allocation, true) && each(v.taxLines, taxLine, true) && each(v.customAttributes, attribute, true)
  && optionalWithGid(v.product) && optionalWithGid(v.variant);

const shippingLine = (v: unknown) => isObj(v) && text(v.title) && text(v.code) && bag(v.originalPriceSet) && each(v.discountAllocations, allocation, true);

const tracking = (v: unknown) => isObj(v) && text(v.company) && text(v.number) && text(v.url);
const fulfillment = (v: unknown) => isObj(v) && text(v.status) && each(v.trackingInfo, tracking, true);

const transaction = (v: unknown) => isObj(v) && text(v.kind) && text(v.status) && bag(v.amountSet);
const refundLineItem = (v: unknown) => isObj(v) && withGid(v.lineItem) && count(v.quantity) && optionalBag(v.subtotalSet) && optionalBag(v.totalTaxSet);
const refund = (v: unknown) => isObj(v) && gid(v.id) && text(v.createdAt) && text(v.note)
  && connection(v.refundLineItems, refundLineItem, true) && connection(v.transactions, transaction, true);

const customer = (v: unknown) => isNil(v) || (isObj(v) && gid(v.id) && text(v.email) && text(v.phone) && text(v.firstName) && text(v.lastName)
  && (isNil(v.emailMarketingConsent) || (isObj(v.emailMarketingConsent) && text(v.emailMarketingConsent.marketingState))));

/** Whether `v` is a GraphqlOrder as wire.ts describes it (true never where the schema would refuse it). */
export function isGraphqlOrder(v: unknown): v is GraphqlOrder {
  return isObj(v) && gid(v.id) && text(v.name) && typeof v.createdAt === 'string' && text(v.updatedAt) && text(v.closedAt)
    && text(v.cancelledAt) && text(v.cancelReason) && currency(v.currencyCode) && (isNil(v.presentmentCurrencyCode) || currency(v.presentmentCurrencyCode))
    && text(v.displayFinancialStatus) && text(v.displayFulfillmentStatus) && flag(v.taxesIncluded) && flag(v.test) && text(v.email)
    && text(v.phone) && text(v.customerLocale) && flag(v.customerAcceptsMarketing) && text(v.note) && each(v.tags, string, true)
    && each(v.customAttributes, attribute, true) && each(v.discountCodes, string, true) && each(v.paymentGatewayNames, string, true)
    && customer(v.customer) && address(v.billingAddress) && address(v.shippingAddress) && bag(v.totalPriceSet)
    && optionalBag(v.totalTaxSet) && optionalBag(v.totalDiscountsSet) && optionalBag(v.originalTotalDutiesSet)
    && optionalBag(v.originalTotalAdditionalFeesSet) && connection(v.lineItems, lineItem, false)
    && connection(v.shippingLines, shippingLine, true) && each(v.fulfillments, fulfillment, true) && each(v.refunds, refund, true);
}

/** The node as a GraphqlOrder: itself when it passes the check, else as the schema reads it (or its error naming the field). */
export function readGraphqlOrder(node: unknown): GraphqlOrder {
  return isGraphqlOrder(node) ? node : readWire(GraphqlOrder, node);
}
