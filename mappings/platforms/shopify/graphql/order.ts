import { currencyExponent, orderKey, type LineItem, type Order, type Tracking } from '../../../../src/core/canonical/index.ts';
import { canonicalAmounts } from '../amounts.ts';
import { ShopifyMappingError } from '../errors.ts';
import { lineFields, shippingMethod } from '../order.ts';
import { shopifyOrderStatus, shopifyPlatformStatus } from '../status.ts';
import { blank, minor, nameValues, optionalUtc, requiredUtc, sum } from '../values.ts';
import { BagReader, gidDigits, mapGraphqlAddress, mapGraphqlCustomer, mapGraphqlRefund } from './shared.ts';
import type { GraphqlFulfillment, GraphqlLineItem, GraphqlShippingLine } from './wire.ts';
import { readGraphqlOrder } from './wireCheck.ts';

// GraphQL's display statuses → the webhook's words, which the canonical order keeps as Shopify's own.
// Fulfilment states the webhook has no word for (in progress, on hold, scheduled…) are unfulfilled there: null.
const FULFILLMENT_WORDS: Record<string, string> = { FULFILLED: 'fulfilled', PARTIALLY_FULFILLED: 'partial', RESTOCKED: 'restocked' };

/**
 * An Admin GraphQL Order node (a page of `orders`, or a bulk order joined with its child lines) of the shop
 * `shop` → the same canonical order the orders/* webhook of that order maps to. Pure; throws
 * ShopifyMappingError naming the field (GraphQL path) it cannot read, or a connection not read to its end.
 */
export function mapShopifyGraphqlOrder(node: unknown, shop: string): Order {
  const o = readGraphqlOrder(node);
  const orderId = gidDigits(o.id, 'id');
  const currency = o.currencyCode.toUpperCase();
  const money = new BagReader(currency, currencyExponent(currency));
  const taxesIncluded = o.taxesIncluded === true;
  for (const [field, c] of [['lineItems', o.lineItems], ['shippingLines', o.shippingLines]] as const) {
    if (c?.pageInfo?.hasNextPage) throw new ShopifyMappingError(field, 'incomplete: pageInfo.hasNextPage is true (fetch the rest before mapping)');
  }
  const lines = o.lineItems.nodes;
  const shippingLines = o.shippingLines?.nodes ?? [];

  const amounts = canonicalAmounts({
    lines: lines.map((l, i) => readLine(l, money, `lineItems.nodes[${i}]`)),
    ...readShipping(shippingLines, money),
    totalDiscounts: o.totalDiscountsSet ? money.read(o.totalDiscountsSet, 'totalDiscountsSet') : null,
    tax: money.read(o.totalTaxSet, 'totalTaxSet'),
    total: money.read(o.totalPriceSet, 'totalPriceSet'),
    fees: money.read(o.originalTotalDutiesSet, 'originalTotalDutiesSet') + money.read(o.originalTotalAdditionalFeesSet, 'originalTotalAdditionalFeesSet'),
    taxesIncluded,
  });

  const presentmentCurrency = o.presentmentCurrencyCode?.toUpperCase() ?? currency;
  const presentmentTotal = o.totalPriceSet.presentmentMoney?.amount;
  const presentment = presentmentCurrency !== currency && presentmentTotal !== undefined
    ? { currency: presentmentCurrency, total: minor(presentmentTotal, currencyExponent(presentmentCurrency), 'totalPriceSet.presentmentMoney.amount') }
    : null;

  const refunds = (o.refunds ?? []).map((r, i) =>
    mapGraphqlRefund(r, { currency, presentment, total: amounts.totals.total, taxesIncluded }, `refunds[${i}]`));
  const createdAt = requiredUtc(o.createdAt, 'createdAt');
  const cancelledAt = optionalUtc(o.cancelledAt, 'cancelledAt');
  const closedAt = optionalUtc(o.closedAt, 'closedAt');
  const facts = {
    cancelled_at: o.cancelledAt,
    closed_at: o.closedAt,
    financial_status: o.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillment_status: FULFILLMENT_WORDS[o.displayFulfillmentStatus ?? ''] ?? null,
  };

  return {
    key: orderKey('shopify', shop, orderId),
    source: { platform: 'shopify', shop, orderId, orderNumber: blank(o.name) },
    status: shopifyOrderStatus(facts),
    platformStatus: shopifyPlatformStatus(facts),
    financialStatus: blank(facts.financial_status),
    fulfillmentStatus: facts.fulfillment_status,
    createdAt,
    updatedAt: optionalUtc(o.updatedAt, 'updatedAt') ?? createdAt,
    completedAt: facts.fulfillment_status === 'fulfilled' && !cancelledAt ? closedAt : null,
    cancelledAt,
    cancelReason: blank(o.cancelReason?.toLowerCase()),
    currency,
    presentment,
    taxesIncluded,
    totals: { ...amounts.totals, refunded: sum(refunds.map((r) => r.amount)) },
    customer: mapGraphqlCustomer(o),
    billingAddress: mapGraphqlAddress(o.billingAddress),
    shippingAddress: mapGraphqlAddress(o.shippingAddress),
    lineItems: lines.map((l, i) => mapLine(l, amounts.lines[i]!, `lineItems.nodes[${i}]`)),
    shipping: {
      method: shippingMethod(shippingLines.map((s) => ({ title: s.title, code: s.code }))),
      tracking: readTracking(o.fulfillments ?? []),
    },
    paymentMethod: blank((o.paymentGatewayNames ?? []).map((g) => g.trim()).filter(Boolean).join(', ')),
    discountCodes: (o.discountCodes ?? []).map((c) => blank(c)).filter((c): c is string => c !== null),
    refunds,
    tags: (o.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''),
    note: blank(o.note),
    attributes: nameValues((o.customAttributes ?? []).map((a) => ({ name: a.key, value: a.value }))),
    test: o.test === true,
  };
}

function readLine(l: GraphqlLineItem, money: BagReader, f: string) {
  const allocations = l.discountAllocations ?? [];
  // totalDiscountSet is deprecated and repeats the allocations: read it only alone (as the webhook's total_discount)
  const discount = allocations.length > 0
    ? sum(allocations.map((a, j) => money.read(a.allocatedAmountSet, `${f}.discountAllocations[${j}].allocatedAmountSet`)))
    : money.read(l.totalDiscountSet, `${f}.totalDiscountSet`);
  return {
    unitPrice: money.read(l.originalUnitPriceSet, `${f}.originalUnitPriceSet`),
    quantity: l.quantity,
    discount,
    tax: sum((l.taxLines ?? []).map((t, j) => money.read(t.priceSet, `${f}.taxLines[${j}].priceSet`))),
  };
}

function readShipping(lines: readonly GraphqlShippingLine[], money: BagReader): { shipping: number; shippingDiscount: number } {
  let shipping = 0;
  let shippingDiscount = 0;
  lines.forEach((s, i) => {
    const f = `shippingLines.nodes[${i}]`;
    const discount = sum((s.discountAllocations ?? []).map((a, j) => money.read(a.allocatedAmountSet, `${f}.discountAllocations[${j}].allocatedAmountSet`)));
    shipping += money.read(s.originalPriceSet, `${f}.originalPriceSet`) - discount;
    shippingDiscount += discount;
  });
  return { shipping, shippingDiscount };
}

function mapLine(l: GraphqlLineItem, a: Pick<LineItem, 'unitPrice' | 'subtotal' | 'discount' | 'total' | 'tax'>, f: string): LineItem {
  return {
    id: gidDigits(l.id, `${f}.id`),
    ...lineFields({
      product_id: l.product ? gidDigits(l.product.id, `${f}.product.id`) : null,
      variant_id: l.variant ? gidDigits(l.variant.id, `${f}.variant.id`) : null,
      sku: l.sku,
      title: l.title,
      name: l.name,
      variant_title: l.variantTitle,
      quantity: l.quantity,
      gift_card: l.isGiftCard,
      requires_shipping: l.requiresShipping,
      properties: (l.customAttributes ?? []).map((p) => ({ name: p.key, value: p.value })),
    }, a, f),
  };
}

// A failed, errored or cancelled fulfilment never shipped: its tracking numbers lead nowhere (as in the webhook mapping).
const DEAD_FULFILLMENTS = new Set(['cancelled', 'error', 'failure']);

function readTracking(fulfillments: readonly GraphqlFulfillment[]): Tracking[] {
  const seen = new Set<string>();
  const out: Tracking[] = [];
  for (const f of fulfillments) {
    if (DEAD_FULFILLMENTS.has((f.status ?? '').toLowerCase())) continue;
    for (const info of f.trackingInfo ?? []) {
      const t = { company: blank(info.company), number: blank(info.number), url: blank(info.url) };
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
