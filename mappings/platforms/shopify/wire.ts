import { z } from 'zod';

// The REST/webhook JSON as Shopify sends it: only the fields we read, each lenient where Shopify omits or
// nulls it. Unknown fields are ignored. Payloads arrive through parseJsonLossless, so ids are numbers or,
// beyond 2^53, digit strings.

/** An integer id: a number, or a digit string when it exceeded 2^53. */
export const Id = z.custom<number | string>(
  (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v)),
  { error: 'expected an integer id' },
);

/** Money: a decimal string ("19.99"); a few fields (refund line subtotals) come as JSON numbers. */
export const Decimal = z.custom<string | number>(
  (v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)),
  { error: 'expected a decimal string' },
);

/** A count: a whole number; one beyond 2^53 came through parseJsonLossless as digits, and is said to be too large. */
const Count = z.number({
  error: (issue) => (typeof issue.input === 'string' && /^-?\d+$/.test(issue.input) ? `${issue.input} is too large (beyond 2^53 − 1)` : undefined),
}).int();

const Text = z.string().nullish();
/** Free text Shopify sometimes sends as a number (zip codes, phone numbers typed into apps). */
const Loose = z.union([z.string(), z.number()]).transform(String).nullish();
const Gid = z.string().nullish();
const Time = z.string().nullish();

const Money = z.object({ amount: Decimal, currency_code: Text });
/** The `*_set` twin of every money field: the amount in shop and in presentment currency. */
export const MoneyBag = z.object({ shop_money: Money, presentment_money: Money.nullish() }).nullish();
export type MoneyBag = z.infer<typeof MoneyBag>;

const Allocation = z.object({ amount: Decimal.nullish(), amount_set: MoneyBag });
const TaxLine = z.object({ price: Decimal.nullish(), price_set: MoneyBag, title: Text });
const NameValue = z.object({ name: Loose, value: z.unknown() });
/** Line item properties / note attributes: `[{name, value}]`, or an object on some checkout payloads. */
export const Properties = z.union([z.array(NameValue), z.record(z.string(), z.unknown())]).nullish();

export const ShopifyAddress = z.object({
  first_name: Text,
  last_name: Text,
  company: Text,
  address1: Text,
  address2: Text,
  city: Text,
  province: Text,
  province_code: Text,
  zip: Loose,
  country_code: Text,
  phone: Loose,
}).nullish();
export type ShopifyAddress = z.infer<typeof ShopifyAddress>;

const MarketingConsent = z.object({ state: Text }).nullish();

export const ShopifyCustomer = z.object({
  id: Id.nullish(),
  admin_graphql_api_id: Gid,
  email: Text,
  phone: Loose,
  first_name: Text,
  last_name: Text,
  email_marketing_consent: MarketingConsent,
  /** Deprecated since 2022 but still sent by older API versions. */
  accepts_marketing: z.boolean().nullish(),
}).nullish();
export type ShopifyCustomer = z.infer<typeof ShopifyCustomer>;

export const ShopifyLineItem = z.object({
  id: Id,
  admin_graphql_api_id: Gid,
  product_id: Id.nullish(),
  variant_id: Id.nullish(),
  sku: Text,
  title: Text,
  name: Text,
  variant_title: Text,
  quantity: Count,
  price: Decimal,
  price_set: MoneyBag,
  /** Deprecated: only read when there are no discount_allocations. */
  total_discount: Decimal.nullish(),
  total_discount_set: MoneyBag,
  discount_allocations: z.array(Allocation).nullish(),
  tax_lines: z.array(TaxLine).nullish(),
  gift_card: z.boolean().nullish(),
  requires_shipping: z.boolean().nullish(),
  properties: Properties,
});
export type ShopifyLineItem = z.infer<typeof ShopifyLineItem>;

export const ShopifyShippingLine = z.object({
  title: Text,
  code: Text,
  price: Decimal.nullish(),
  price_set: MoneyBag,
  discount_allocations: z.array(Allocation).nullish(),
  /** Checkouts carry their shipping discounts here. */
  applied_discounts: z.array(Allocation).nullish(),
});
export type ShopifyShippingLine = z.infer<typeof ShopifyShippingLine>;

const Fulfillment = z.object({
  status: Text,
  tracking_company: Text,
  tracking_number: Text,
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: Text,
  tracking_urls: z.array(z.string()).nullish(),
});
export type ShopifyFulfillment = z.infer<typeof Fulfillment>;

const Transaction = z.object({
  kind: Text,
  status: Text,
  amount: Decimal,
  currency: Text,
});

export const ShopifyRefund = z.object({
  id: Id,
  admin_graphql_api_id: Gid,
  order_id: Id.nullish(),
  created_at: Time,
  processed_at: Time,
  note: Text,
  transactions: z.array(Transaction).nullish(),
  refund_line_items: z.array(z.object({
    line_item_id: Id,
    quantity: Count,
    subtotal: Decimal.nullish(),
    subtotal_set: MoneyBag,
    total_tax: Decimal.nullish(),
    total_tax_set: MoneyBag,
  })).nullish(),
});
export type ShopifyRefund = z.infer<typeof ShopifyRefund>;

const DiscountCode = z.object({ code: Loose });
const Currency = z.string().regex(/^[A-Za-z]{3}$/, { error: 'expected an ISO 4217 currency code' });

/** The fields an order and a checkout share (contact, addresses, notes, taxes flag). */
const Shared = {
  email: Text,
  phone: Loose,
  customer: ShopifyCustomer,
  billing_address: ShopifyAddress,
  shipping_address: ShopifyAddress,
  buyer_accepts_marketing: z.boolean().nullish(),
  customer_locale: Text,
  taxes_included: z.boolean().nullish(),
  note: Text,
  note_attributes: Properties,
  discount_codes: z.array(DiscountCode).nullish(),
  shipping_lines: z.array(ShopifyShippingLine).nullish(),
  created_at: z.string(),
  updated_at: Time,
};

export const ShopifyOrder = z.object({
  ...Shared,
  id: Id,
  admin_graphql_api_id: Gid,
  name: Text,
  order_number: Loose,
  contact_email: Text,
  currency: Currency,
  presentment_currency: Currency.nullish(),
  financial_status: Text,
  fulfillment_status: Text,
  cancelled_at: Time,
  cancel_reason: Text,
  closed_at: Time,
  total_price: Decimal.nullish(),
  total_price_set: MoneyBag,
  total_tax: Decimal.nullish(),
  total_tax_set: MoneyBag,
  total_discounts: Decimal.nullish(),
  total_discounts_set: MoneyBag,
  original_total_duties_set: MoneyBag,
  original_total_additional_fees_set: MoneyBag,
  line_items: z.array(ShopifyLineItem),
  fulfillments: z.array(Fulfillment).nullish(),
  refunds: z.array(ShopifyRefund).nullish(),
  payment_gateway_names: z.array(z.string()).nullish(),
  tags: Text,
  test: z.boolean().nullish(),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export const ShopifyCheckoutLine = z.object({
  key: Text,
  id: Id.nullish(),
  product_id: Id.nullish(),
  variant_id: Id.nullish(),
  sku: Text,
  title: Text,
  variant_title: Text,
  quantity: Count,
  price: Decimal,
  discount_allocations: z.array(Allocation).nullish(),
  applied_discounts: z.array(Allocation).nullish(),
  tax_lines: z.array(TaxLine).nullish(),
  gift_card: z.boolean().nullish(),
  requires_shipping: z.boolean().nullish(),
  properties: Properties,
});
export type ShopifyCheckoutLine = z.infer<typeof ShopifyCheckoutLine>;

/** checkouts/create|update (the REST AbandonedCheckout shape): money is plain strings in presentment currency. */
export const ShopifyCheckout = z.object({
  ...Shared,
  /** Part of the checkout's key (`checkout:<token>`; 32 hex characters today): bounded, as no key may be of any length. */
  token: z.string().min(1).max(255),
  currency: Currency,
  presentment_currency: Currency.nullish(),
  completed_at: Time,
  gateway: Text,
  total_price: Decimal,
  total_tax: Decimal.nullish(),
  total_discounts: Decimal.nullish(),
  total_duties: Decimal.nullish(),
  line_items: z.array(ShopifyCheckoutLine),
});
export type ShopifyCheckout = z.infer<typeof ShopifyCheckout>;

/** orders/delete: `{ "id": … }` and little more. */
export const ShopifyDeletedOrder = z.object({ id: Id, admin_graphql_api_id: Gid });
/** refunds/create: the refund, which names its order. */
export const ShopifyRefundWebhook = ShopifyRefund.extend({ order_id: Id });
