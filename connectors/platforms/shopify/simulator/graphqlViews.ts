import { GraphQLError } from 'graphql';
import {
  gid, graphqlDecimal, graphqlTime, sumMoney, type SimAddress, type SimAttribute, type SimFulfillment, type SimLine,
  type SimMoney, type SimOrder, type SimRefund, type SimShippingLine, type SimTaxLine, type SimTransaction,
} from './model.ts';

// A simulated order as the Admin GraphQL API shows it. graphql-js's default resolver reads a property, or calls
// it with (args, context) when it is a method: getters keep the rendering lazy (only what a query asks for is
// built), methods take the arguments of connections and sized lists.

export interface ViewContext {
  /** Inside a bulk operation connections are unpaged: every node, `first` not needed. */
  bulk: boolean;
}

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export const MAX_PAGE = 250;

/** Checks `first`/`last` as Shopify does: one of them, at most 250. */
export function pageSize(args: ConnectionArgs, ctx: ViewContext): number | null {
  if (ctx.bulk) return null;
  if (args.last != null || args.before != null) throw new GraphQLError('the simulator pages forward only: use first and after');
  if (args.first == null) throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  if (args.first < 0 || args.first > MAX_PAGE) {
    throw new GraphQLError(`The first argument must be between 0 and ${MAX_PAGE}, got ${args.first}`, { extensions: { code: 'BAD_REQUEST' } });
  }
  return args.first;
}

const positional = (k: number) => Buffer.from(`p${k}`).toString('base64url');
function position(cursor: string): number {
  const m = /^p(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new GraphQLError(`Invalid cursor: ${cursor}`, { extensions: { code: 'BAD_REQUEST' } });
  return Number(m[1]);
}

/** A connection over an in-memory list (an order's lines, a refund's transactions, webhook subscriptions). */
export function listConnection<T>(items: readonly T[], args: ConnectionArgs, ctx: ViewContext) {
  const size = pageSize(args, ctx);
  const ordered = args.reverse ? [...items].reverse() : items;
  const start = args.after ? position(args.after) + 1 : 0;
  const end = size === null ? ordered.length : Math.min(ordered.length, start + size);
  const slice = ordered.slice(start, end).map((node, k) => ({ cursor: positional(start + k), node }));
  return {
    edges: slice,
    nodes: slice.map((e) => e.node),
    pageInfo: {
      hasNextPage: end < ordered.length,
      hasPreviousPage: start > 0,
      startCursor: slice[0]?.cursor ?? null,
      endCursor: slice[slice.length - 1]?.cursor ?? null,
    },
  };
}

const sized = <T>(items: readonly T[], first: number | null | undefined): readonly T[] => (first == null ? items : items.slice(0, first));

// Exported so the declarations of what returns it can name it (a class with private members cannot be written inline).
export class Bag {
  constructor(private readonly m: SimMoney, private readonly shop: string, private readonly pres: string) {}
  get shopMoney() { return { amount: graphqlDecimal(this.m.shop, this.shop), currencyCode: this.shop }; }
  get presentmentMoney() { return { amount: graphqlDecimal(this.m.presentment, this.pres), currencyCode: this.pres }; }
}

const attributes = (xs: readonly SimAttribute[]) => xs.map((a) => ({ key: a.name, value: a.value }));

export class OrderView {
  readonly __typename = 'Order';
  constructor(readonly o: SimOrder) {}
  private bag(m: SimMoney): Bag { return new Bag(m, this.o.currency, this.o.presentmentCurrency); }
  private tax(t: SimTaxLine) { return { title: t.title, rate: t.rate, ratePercentage: Math.round(t.rate * 10000) / 100, priceSet: this.bag(t.price), channelLiable: false }; }

  get id() { return gid('Order', this.o.id); }
  get legacyResourceId() { return this.o.id; }
  get name() { return this.o.name; }
  get number() { return this.o.number - 1000; }
  get createdAt() { return graphqlTime(this.o.createdMs); }
  get updatedAt() { return graphqlTime(this.o.updatedMs); }
  get processedAt() { return graphqlTime(this.o.processedMs); }
  get closedAt() { return this.o.closedMs === null ? null : graphqlTime(this.o.closedMs); }
  get closed() { return this.o.closedMs !== null; }
  get cancelledAt() { return this.o.cancelledMs === null ? null : graphqlTime(this.o.cancelledMs); }
  get cancelReason() { return this.o.cancelReason?.toUpperCase() ?? null; }
  get currencyCode() { return this.o.currency; }
  get presentmentCurrencyCode() { return this.o.presentmentCurrency; }
  get displayFinancialStatus() { return this.o.financialStatus?.toUpperCase() ?? null; }
  get displayFulfillmentStatus() {
    const f = this.o.fulfillmentStatus;
    return f === 'fulfilled' ? 'FULFILLED' : f === 'partial' ? 'PARTIALLY_FULFILLED' : f === 'restocked' ? 'RESTOCKED' : 'UNFULFILLED';
  }
  get taxesIncluded() { return this.o.taxesIncluded; }
  get test() { return this.o.test; }
  get email() { return this.o.email; }
  get phone() { return this.o.phone; }
  get customerLocale() { return this.o.customerLocale; }
  get customerAcceptsMarketing() { return this.o.buyerAcceptsMarketing; }
  get sourceName() { return this.o.sourceName; }
  get note() { return this.o.note; }
  get tags() { return this.o.tags; }
  get customAttributes() { return attributes(this.o.noteAttributes); }
  get discountCodes() { return this.o.discountCodes.map((d) => d.code); }
  get paymentGatewayNames() { return this.o.gatewayNames; }
  get customer() {
    const c = this.o.customer;
    if (!c) return null;
    return {
      __typename: 'Customer',
      id: gid('Customer', c.id),
      legacyResourceId: c.id,
      firstName: c.firstName,
      lastName: c.lastName,
      displayName: [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || '',
      email: c.email,
      phone: c.phone,
      emailMarketingConsent: c.consent === null ? null : { marketingState: c.consent.toUpperCase(), marketingOptInLevel: 'SINGLE_OPT_IN', consentUpdatedAt: null },
    };
  }
  get billingAddress() { return address(this.o.billing, `${this.o.id}1`); }
  get shippingAddress() { return address(this.o.shipping, `${this.o.id}2`); }
  get subtotalLineItemsQuantity() { return this.o.lines.reduce((a, l) => a + l.quantity, 0); }
  get totalPriceSet() { return this.bag(this.o.totalPrice); }
  get subtotalPriceSet() {
    const lines = sumMoney(this.o.lines.map((l) => ({ shop: l.price.shop * l.quantity, presentment: l.price.presentment * l.quantity })));
    const discount = sumMoney(this.o.lines.flatMap((l) => l.discountAllocations));
    return this.bag({ shop: lines.shop - discount.shop, presentment: lines.presentment - discount.presentment });
  }
  get totalTaxSet() { return this.o.totalTax ? this.bag(this.o.totalTax) : null; }
  get totalDiscountsSet() { return this.o.totalDiscounts ? this.bag(this.o.totalDiscounts) : null; }
  get totalShippingPriceSet() {
    const price = sumMoney(this.o.shippingLines.map((s) => s.price));
    const discount = sumMoney(this.o.shippingLines.flatMap((s) => s.discountAllocations));
    return this.bag({ shop: price.shop - discount.shop, presentment: price.presentment - discount.presentment });
  }
  get totalTipReceivedSet() { return this.bag(this.o.totalTip); }
  get originalTotalDutiesSet() { return this.o.duties ? this.bag(this.o.duties) : null; }
  get originalTotalAdditionalFeesSet() { return this.o.additionalFees ? this.bag(this.o.additionalFees) : null; }

  lineItems(args: ConnectionArgs, ctx: ViewContext) { return listConnection(this.o.lines.map((l) => this.line(l)), args, ctx); }
  shippingLines(args: ConnectionArgs, ctx: ViewContext) { return listConnection(this.o.shippingLines.map((s) => this.shippingLine(s)), args, ctx); }
  fulfillments(args: { first?: number | null }) { return sized(this.o.fulfillments, args.first).map((f) => this.fulfillment(f)); }
  refunds(args: { first?: number | null }) { return sized(this.o.refunds, args.first).map((r) => this.refund(r)); }
  transactions(args: { first?: number | null }) { return sized(this.o.transactions, args.first).map((t) => this.transaction(t)); }

  line(l: SimLine) {
    const view = this;
    return {
      __typename: 'LineItem',
      id: gid('LineItem', l.id),
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      title: l.title,
      variantTitle: l.variantTitle,
      sku: l.sku,
      vendor: l.vendor,
      quantity: l.quantity,
      currentQuantity: l.quantity,
      isGiftCard: l.giftCard,
      requiresShipping: l.requiresShipping,
      taxable: l.taxable,
      get originalUnitPriceSet() { return view.bag(l.price); },
      get totalDiscountSet() { return view.bag(l.totalDiscount); },
      get discountAllocations() { return l.discountAllocations.map((m) => ({ allocatedAmountSet: view.bag(m) })); },
      taxLines: (args: { first?: number | null }) => sized(l.taxLines, args.first).map((t) => view.tax(t)),
      get customAttributes() { return attributes(l.properties); },
      product: l.productId === null ? null : { __typename: 'Product', id: gid('Product', l.productId), legacyResourceId: l.productId, title: l.title },
      variant: l.variantId === null ? null : { __typename: 'ProductVariant', id: gid('ProductVariant', l.variantId), legacyResourceId: l.variantId, title: l.variantTitle ?? 'Default Title', sku: l.sku },
    };
  }

  private shippingLine(s: SimShippingLine) {
    const discount = sumMoney(s.discountAllocations);
    return {
      id: gid('ShippingLine', s.id),
      title: s.title,
      code: s.code,
      source: 'shopify',
      isRemoved: false,
      originalPriceSet: this.bag(s.price),
      discountedPriceSet: this.bag({ shop: s.price.shop - discount.shop, presentment: s.price.presentment - discount.presentment }),
      discountAllocations: s.discountAllocations.map((m) => ({ allocatedAmountSet: this.bag(m) })),
      taxLines: s.taxLines.map((t) => this.tax(t)),
    };
  }

  private fulfillment(f: SimFulfillment) {
    const count = Math.max(f.numbers.length, f.urls.length);
    const info = Array.from({ length: count }, (_, k) => ({ company: f.company, number: f.numbers[k] ?? null, url: f.urls[k] ?? null }));
    return {
      __typename: 'Fulfillment',
      id: gid('Fulfillment', f.id),
      status: f.status.toUpperCase(),
      createdAt: graphqlTime(f.createdMs),
      trackingInfo: (args: { first?: number | null }) => sized(info, args.first),
    };
  }

  transaction(t: SimTransaction) {
    return {
      __typename: 'OrderTransaction',
      id: gid('OrderTransaction', t.id),
      kind: t.kind.toUpperCase(),
      status: t.status.toUpperCase(),
      gateway: t.gateway,
      amountSet: this.bag(t.amount),
      createdAt: graphqlTime(t.createdMs),
      processedAt: graphqlTime(t.createdMs),
      test: this.o.test,
    };
  }

  /** A refund of this order by its id, as the Refund type shows it (node(id:) lookups). */
  refundById(id: string) {
    const r = this.o.refunds.find((x) => x.id === id);
    return r ? this.refund(r) : null;
  }

  private refund(r: SimRefund) {
    const view = this;
    const refunded = sumMoney(r.transactions.filter((t) => t.status === 'success').map((t) => t.amount));
    return {
      __typename: 'Refund',
      id: gid('Refund', r.id),
      legacyResourceId: r.id,
      createdAt: graphqlTime(r.createdMs),
      updatedAt: graphqlTime(r.createdMs),
      note: r.note,
      totalRefundedSet: this.bag(refunded),
      refundLineItems: (args: ConnectionArgs, ctx: ViewContext) => listConnection(r.lines.map((li) => ({
        id: gid('RefundLineItem', li.id),
        get lineItem() { return view.line(view.o.lines.find((l) => l.id === li.lineItemId) ?? removedLine(li.lineItemId, li.quantity)); },
        quantity: li.quantity,
        restocked: true,
        priceSet: view.bag({ shop: Math.round(li.subtotal.shop / Math.max(1, li.quantity)), presentment: Math.round(li.subtotal.presentment / Math.max(1, li.quantity)) }),
        subtotalSet: view.bag(li.subtotal),
        totalTaxSet: view.bag(li.tax),
      })), args, ctx),
      transactions: (args: ConnectionArgs, ctx: ViewContext) => listConnection(r.transactions.map((t) => view.transaction(t)), args, ctx),
    };
  }
}

/** A refund may name a line the order no longer lists (Shopify's own documentation sample does). */
function removedLine(id: string, quantity: number): SimLine {
  return {
    id, productId: null, variantId: null, sku: null, title: 'Removed item', variantTitle: null, vendor: null, quantity,
    price: { shop: 0, presentment: 0 }, discountAllocations: [], totalDiscount: { shop: 0, presentment: 0 }, taxLines: [],
    giftCard: false, requiresShipping: false, taxable: false, properties: [],
  };
}

function address(a: SimAddress | null, id: string) {
  if (!a) return null;
  return {
    __typename: 'MailingAddress',
    id: gid('MailingAddress', id),
    firstName: a.firstName,
    lastName: a.lastName,
    name: [a.firstName, a.lastName].filter(Boolean).join(' ') || null,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country: a.country,
    countryCodeV2: a.countryCode,
    phone: a.phone,
  };
}
