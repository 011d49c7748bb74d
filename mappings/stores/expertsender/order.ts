import {
  currencyExponent, formatMinor, toMajorNumber,
  type LineItem, type Order,
} from '../../../src/core/canonical/index.ts';
import type { ExpertSenderMappingOptions } from './options.ts';
import { toEsStatus } from './status.ts';
import type { EsAttribute, EsCustomer, EsOrder, EsProduct } from './types.ts';

/** Time zone sent with every order: canonical times are UTC, as the official plugins send them. */
export const ES_TIME_ZONE = 'UTC';

/** The ECDP order id of a canonical order: the platform order id, optionally prefixed per shop. */
export function esOrderId(order: Order, options: Pick<ExpertSenderMappingOptions, 'orderIdPrefix'>): string {
  return `${options.orderIdPrefix}${order.source.orderId}`;
}

const present = (v: string | null | undefined): v is string => v !== null && v !== undefined && v.trim() !== '';
const firstPresent = (...values: (string | null | undefined)[]): string | undefined => values.find(present);

/** Drops spaces, dashes, dots, slashes and brackets: formatting, not content ("+1 (555) 010-0199" → "+15550100199"). */
export function compactPhone(phone: string): string {
  return phone.replace(/[\s\-./()]/g, '');
}

function toCustomer(order: Order, options: ExpertSenderMappingOptions): EsCustomer {
  const c = order.customer;
  const customer: EsCustomer = {};
  const email = firstPresent(c?.email)?.trim();
  const phone = firstPresent(c?.phone, order.billingAddress?.phone, order.shippingAddress?.phone);
  const id = options.sendCrmId ? firstPresent(c?.id) : undefined;
  const crmId = id && (options.customerIdPrefix ?? options.orderIdPrefix) + id;
  if (email) customer.email = email;
  if (phone) customer.phone = compactPhone(phone);
  if (crmId) customer.crmId = crmId;
  return customer;
}

function productId(line: LineItem, choice: ExpertSenderMappingOptions['productId']): string {
  const { productId: product, variantId: variant, sku, id } = line;
  if (choice === 'variant') return firstPresent(variant, product, sku) ?? id;
  if (choice === 'sku') return firstPresent(sku, variant, product) ?? id;
  return firstPresent(product, variant, sku) ?? id;
}

/** Pairs with empty values dropped; ECDP attributes are free name/value text. */
function attributeList(pairs: [string, string | null | undefined][]): EsAttribute[] {
  return pairs.filter((p): p is [string, string] => present(p[1])).map(([name, value]) => ({ name, value }));
}

function returnedQuantity(order: Order, lineId: string): number {
  let returned = 0;
  for (const refund of order.refunds) {
    for (const line of refund.lineItems) if (line.lineItemId === lineId) returned += line.quantity;
  }
  return returned;
}

/**
 * "The value of returned products": a refund naming its lines counts their amounts (not refunded shipping or
 * adjustments); one naming none (WooCommerce's order payloads never do) counts whole, as nothing tells it apart.
 */
export function returnsValueMinor(order: Order): number {
  let value = 0;
  for (const refund of order.refunds) {
    value += refund.lineItems.length > 0 ? refund.lineItems.reduce((sum, l) => sum + l.amount, 0) : refund.amount;
  }
  return value;
}

function toProduct(order: Order, line: LineItem, options: ExpertSenderMappingOptions): EsProduct {
  const exp = currencyExponent(order.currency);
  const product: EsProduct = {
    id: productId(line, options.productId),
    name: line.name,
    price: toMajorNumber(line.unitPrice, exp),
    quantity: line.quantity,
    returned: returnedQuantity(order, line.id),
  };
  if (present(line.url)) product.url = line.url;
  if (present(line.imageUrl)) product.imageUrl = line.imageUrl;
  if (present(line.category)) product.category = line.category;
  if (options.sendAttributes) {
    const attrs = attributeList([
      ['sku', line.sku],
      ['variant', line.variantName],
      ['variantId', line.variantId],
      ['discount', line.discount !== 0 ? formatMinor(line.discount, exp) : null],
      ['lineTotal', formatMinor(line.total, exp)],
      ['tax', line.tax !== 0 ? formatMinor(line.tax, exp) : null],
      ['taxClass', line.taxClass],
      ['giftCard', line.giftCard ? 'true' : null],
      ...Object.entries(line.attributes),
    ]);
    if (attrs.length > 0) product.productAttributes = attrs;
  }
  return product;
}

function orderAttributes(order: Order): EsAttribute[] {
  const exp = currencyExponent(order.currency);
  const tracking = order.shipping.tracking;
  return attributeList([
    ['orderNumber', order.source.orderNumber],
    ['platform', order.source.platform],
    ['shop', order.source.shop],
    ['paymentMethod', order.paymentMethod],
    ['shippingMethod', order.shipping.method],
    ['trackingNumber', tracking.map((t) => t.number).filter(present).join(', ')],
    ['trackingUrl', tracking.map((t) => t.url).find(present)],
    ['discountCodes', order.discountCodes.join(', ')],
    ['subtotal', formatMinor(order.totals.subtotal, exp)],
    ['discount', formatMinor(order.totals.discount, exp)],
    ['shipping', formatMinor(order.totals.shipping, exp)],
    ['fees', order.totals.fees !== 0 ? formatMinor(order.totals.fees, exp) : null],
    ['tax', formatMinor(order.totals.tax, exp)],
    ['taxesIncluded', order.taxesIncluded ? 'true' : 'false'],
    ['presentmentCurrency', order.presentment?.currency],
    ['presentmentTotal', order.presentment
      ? formatMinor(order.presentment.total, currencyExponent(order.presentment.currency)) : null],
    ['shippingCountry', order.shippingAddress?.country],
    ['shippingCity', order.shippingAddress?.city],
    ['cancelReason', order.cancelReason],
    ['test', order.test ? 'true' : null],
    ...Object.entries(order.attributes),
  ]);
}

/**
 * The ECDP order for a canonical order. Pure; it never shortens a value: limits are checked
 * afterwards by findLimitViolations so a value that does not fit is refused with a reason.
 */
export function toExpertSenderOrder(order: Order, options: ExpertSenderMappingOptions): EsOrder {
  const exp = currencyExponent(order.currency);
  const es: EsOrder = {
    id: esOrderId(order, options),
    date: order.createdAt,
    timeZone: ES_TIME_ZONE,
    status: toEsStatus(order.status, options.statusMap),
    currency: order.currency,
    totalValue: toMajorNumber(order.totals.total, exp),
    returnsValue: toMajorNumber(returnsValueMinor(order), exp),
    customer: toCustomer(order, options),
    products: order.lineItems.map((line) => toProduct(order, line, options)),
  };
  if (options.websiteId !== undefined) es.websiteId = options.websiteId;
  if (options.sendAttributes) {
    const attrs = orderAttributes(order);
    if (attrs.length > 0) es.orderAttributes = attrs;
  }
  return es;
}
