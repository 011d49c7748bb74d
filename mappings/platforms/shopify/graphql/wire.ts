import { z } from 'zod';
import { Decimal } from '../wire.ts';

// An Admin GraphQL Order node as the resync reads it (a page of `orders`, or a bulk JSONL order joined with its
// child lines): only the fields the canonical order needs, each lenient where Shopify may null it. Connections
// arrive as `{ nodes, pageInfo? }`; one whose pageInfo says there is more is refused by the mapping (the caller
// fetches the rest first), so a truncated order is never mapped as if whole.

const Text = z.string().nullish();
const Time = z.string().nullish();
const Count = z.number().int();
export const Gid = z.string().regex(/^gid:\/\/shopify\/[A-Za-z]+\/\d+(\?.*)?$/, { error: 'expected a gid://shopify/<Type>/<id>' });
const Currency = z.string().regex(/^[A-Za-z]{3}$/, { error: 'expected an ISO 4217 currency code' });

const Money = z.object({ amount: Decimal, currencyCode: Text });
/** MoneyBag: shop money always; presentment money when the query asked for it. */
export const Bag = z.object({ shopMoney: Money, presentmentMoney: Money.nullish() });
export type Bag = z.infer<typeof Bag>;

const PageInfo = z.object({ hasNextPage: z.boolean() }).nullish();
const connection = <T extends z.ZodType>(node: T) => z.object({ nodes: z.array(node), pageInfo: PageInfo });

const Attribute = z.object({ key: z.string(), value: z.string().nullish() });
const Allocation = z.object({ allocatedAmountSet: Bag });
const TaxLine = z.object({ priceSet: Bag });

export const GraphqlAddress = z.object({
  firstName: Text,
  lastName: Text,
  company: Text,
  address1: Text,
  address2: Text,
  city: Text,
  province: Text,
  provinceCode: Text,
  zip: Text,
  countryCodeV2: Text,
  phone: Text,
}).nullish();
export type GraphqlAddress = z.infer<typeof GraphqlAddress>;

export const GraphqlLineItem = z.object({
  id: Gid,
  name: Text,
  title: Text,
  variantTitle: Text,
  sku: Text,
  quantity: Count,
  isGiftCard: z.boolean().nullish(),
  requiresShipping: z.boolean().nullish(),
  originalUnitPriceSet: Bag,
  /** Deprecated: only read when there are no discountAllocations (as the webhook's total_discount). */
  totalDiscountSet: Bag.nullish(),
  discountAllocations: z.array(Allocation).nullish(),
  taxLines: z.array(TaxLine).nullish(),
  customAttributes: z.array(Attribute).nullish(),
  product: z.object({ id: Gid }).nullish(),
  variant: z.object({ id: Gid }).nullish(),
});
export type GraphqlLineItem = z.infer<typeof GraphqlLineItem>;

export const GraphqlShippingLine = z.object({
  title: Text,
  code: Text,
  originalPriceSet: Bag,
  discountAllocations: z.array(Allocation).nullish(),
});
export type GraphqlShippingLine = z.infer<typeof GraphqlShippingLine>;

const Fulfillment = z.object({
  status: Text,
  trackingInfo: z.array(z.object({ company: Text, number: Text, url: Text })).nullish(),
});
export type GraphqlFulfillment = z.infer<typeof Fulfillment>;

const Transaction = z.object({ kind: Text, status: Text, amountSet: Bag });

export const GraphqlRefund = z.object({
  id: Gid,
  createdAt: Time,
  note: Text,
  refundLineItems: connection(z.object({
    lineItem: z.object({ id: Gid }),
    quantity: Count,
    subtotalSet: Bag.nullish(),
    totalTaxSet: Bag.nullish(),
  })).nullish(),
  transactions: connection(Transaction).nullish(),
});
export type GraphqlRefund = z.infer<typeof GraphqlRefund>;

export const GraphqlOrder = z.object({
  id: Gid,
  name: Text,
  createdAt: z.string(),
  updatedAt: Time,
  closedAt: Time,
  cancelledAt: Time,
  cancelReason: Text,
  currencyCode: Currency,
  presentmentCurrencyCode: Currency.nullish(),
  displayFinancialStatus: Text,
  displayFulfillmentStatus: Text,
  taxesIncluded: z.boolean().nullish(),
  test: z.boolean().nullish(),
  email: Text,
  phone: Text,
  customerLocale: Text,
  customerAcceptsMarketing: z.boolean().nullish(),
  note: Text,
  tags: z.array(z.string()).nullish(),
  customAttributes: z.array(Attribute).nullish(),
  discountCodes: z.array(z.string()).nullish(),
  paymentGatewayNames: z.array(z.string()).nullish(),
  customer: z.object({
    id: Gid,
    email: Text,
    phone: Text,
    firstName: Text,
    lastName: Text,
    emailMarketingConsent: z.object({ marketingState: Text }).nullish(),
  }).nullish(),
  billingAddress: GraphqlAddress,
  shippingAddress: GraphqlAddress,
  totalPriceSet: Bag,
  totalTaxSet: Bag.nullish(),
  totalDiscountsSet: Bag.nullish(),
  originalTotalDutiesSet: Bag.nullish(),
  originalTotalAdditionalFeesSet: Bag.nullish(),
  lineItems: connection(GraphqlLineItem),
  shippingLines: connection(GraphqlShippingLine).nullish(),
  fulfillments: z.array(Fulfillment).nullish(),
  refunds: z.array(GraphqlRefund).nullish(),
});
export type GraphqlOrder = z.infer<typeof GraphqlOrder>;
