import type { Address, Customer, Order, Refund } from '../../../../src/core/canonical/index.ts';
import { ShopifyMappingError } from '../errors.ts';
import { mapAddress, mapCustomer } from '../people.ts';
import { mapRefund, type RefundContext } from '../refund.ts';
import { gidTail, minor } from '../values.ts';
import type { Bag, GraphqlAddress, GraphqlOrder, GraphqlRefund } from './wire.ts';

// The rules the webhook mapping already holds (who the buyer is, what a refund gave back, what an address
// is), reached from the GraphQL shape: one rule in one place, two readers of it.

/** The decimal id of a gid, as the webhook mapping takes it from admin_graphql_api_id. */
export function gidDigits(gid: string, field: string): string {
  const tail = gidTail(gid);
  if (tail === null) throw new ShopifyMappingError(field, `expected a gid://shopify/<Type>/<id>, got ${JSON.stringify(gid)}`);
  return tail;
}

/** Reads MoneyBag.shopMoney in minor units of the order currency (another currency there is an error). */
export class BagReader {
  constructor(readonly currency: string, readonly exponent: number) {}

  read(bag: Bag | null | undefined, field: string): number {
    if (!bag) return 0;
    const code = bag.shopMoney.currencyCode?.toUpperCase();
    if (code && code !== this.currency) {
      throw new ShopifyMappingError(`${field}.shopMoney.currencyCode`, `${code} is not the order currency ${this.currency}`);
    }
    return minor(bag.shopMoney.amount, this.exponent, `${field}.shopMoney.amount`);
  }
}

const restAddress = (a: GraphqlAddress) => a && ({
  first_name: a.firstName,
  last_name: a.lastName,
  company: a.company,
  address1: a.address1,
  address2: a.address2,
  city: a.city,
  province: a.province,
  province_code: a.provinceCode,
  zip: a.zip,
  country_code: a.countryCodeV2,
  phone: a.phone,
});

export const mapGraphqlAddress = (a: GraphqlAddress): Address | null => mapAddress(restAddress(a));

/** The buyer, by the webhook mapping's rules (record first, the order's copies where Shopify withholds them). */
export function mapGraphqlCustomer(o: GraphqlOrder): Customer | null {
  const c = o.customer;
  return mapCustomer({
    email: o.email,
    phone: o.phone,
    customer: c && {
      id: gidDigits(c.id, 'customer.id'),
      admin_graphql_api_id: c.id,
      email: c.email,
      phone: c.phone,
      first_name: c.firstName,
      last_name: c.lastName,
      // GraphQL spells the states in capitals (SUBSCRIBED); the webhook in lower case
      email_marketing_consent: c.emailMarketingConsent ? { state: c.emailMarketingConsent.marketingState?.toLowerCase() } : null,
    },
    billing_address: restAddress(o.billingAddress),
    shipping_address: restAddress(o.shippingAddress),
    buyer_accepts_marketing: o.customerAcceptsMarketing,
    customer_locale: o.customerLocale,
  });
}

/**
 * A refund by the webhook mapping's rules: the money that went back is Σ successful refund transactions in
 * the buyer's currency (presentment money), converted at the order's own rate.
 */
export function mapGraphqlRefund(r: GraphqlRefund, ctx: RefundContext, path: string): Refund {
  const complete = (c: { pageInfo?: { hasNextPage: boolean } | null } | null | undefined, field: string) => {
    if (c?.pageInfo?.hasNextPage) throw new ShopifyMappingError(`${path}.${field}`, 'incomplete: pageInfo.hasNextPage is true (fetch the rest before mapping)');
  };
  complete(r.refundLineItems, 'refundLineItems');
  complete(r.transactions, 'transactions');
  const shopMoney = (b: Bag | null | undefined) => b && { shop_money: { amount: b.shopMoney.amount, currency_code: b.shopMoney.currencyCode } };
  return mapRefund({
    id: gidDigits(r.id, `${path}.id`),
    admin_graphql_api_id: r.id,
    created_at: r.createdAt,
    note: r.note,
    transactions: (r.transactions?.nodes ?? []).map((t) => {
      const money = t.amountSet.presentmentMoney ?? t.amountSet.shopMoney;
      return { kind: t.kind?.toLowerCase(), status: t.status?.toLowerCase(), amount: money.amount, currency: money.currencyCode ?? ctx.currency };
    }),
    refund_line_items: (r.refundLineItems?.nodes ?? []).map((li, i) => ({
      line_item_id: gidDigits(li.lineItem.id, `${path}.refundLineItems.nodes[${i}].lineItem.id`),
      quantity: li.quantity,
      subtotal_set: shopMoney(li.subtotalSet),
      total_tax_set: shopMoney(li.totalTaxSet),
    })),
  }, ctx, path);
}

export type { RefundContext };
export type Presentment = Order['presentment'];
