import { z } from 'zod';
import { idDigitsProblem, plainDigits } from '../../../src/core/canonical/index.ts';
import { WooMappingError } from './errors.ts';

// The REST v3 / webhook JSON as WooCommerce sends it. Only the fields we read; unknown ones are ignored.

/**
 * Ids are integers; parseJsonLossless turns values beyond 2^53 into digit strings ("0007" and 7 are one id).
 * One longer than any platform id's is refused: it would become a key.
 */
const Id = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/).transform(plainDigits).superRefine((digits, ctx) => {
    const problem = idDigitsProblem(digits);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  }),
]);
/** Money is a decimal string ("19.99"); line `price` is a float number; plugins sometimes send "" or null. */
const Money = z.union([z.string(), z.number()]).nullish();
const Text = z.string().nullish();
const Date = z.string().nullish();

export const WooMeta = z.object({
  id: Id.optional(),
  key: z.string(),
  value: z.unknown(),
  /** What the buyer saw: an attribute's term name ("Ocean Blue") where `value` is its slug (REST v3, WooCommerce 3.0+). */
  display_value: z.unknown().optional(),
});
export type WooMeta = z.infer<typeof WooMeta>;

export const WooAddress = z.object({
  first_name: Text,
  last_name: Text,
  company: Text,
  address_1: Text,
  address_2: Text,
  city: Text,
  state: Text,
  postcode: Text,
  country: Text,
  email: Text,
  phone: Text,
});
export type WooAddress = z.infer<typeof WooAddress>;

export const WooLineItem = z.object({
  id: Id,
  name: Text,
  parent_name: Text,
  product_id: Id.nullish(),
  variation_id: Id.nullish(),
  quantity: z.number().int(),
  tax_class: Text,
  subtotal: Money,
  subtotal_tax: Money,
  total: Money,
  total_tax: Money,
  sku: Text,
  price: Money,
  meta_data: z.array(WooMeta).nullish(),
  image: z.object({ src: Text }).nullish(),
});
export type WooLineItem = z.infer<typeof WooLineItem>;

export const WooFeeLine = z.object({
  id: Id,
  name: Text,
  tax_class: Text,
  total: Money,
  total_tax: Money,
});

export const WooShippingLine = z.object({
  id: Id,
  method_title: Text,
  method_id: Text,
  total: Money,
  total_tax: Money,
});

export const WooCouponLine = z.object({
  id: Id,
  code: z.string(),
  discount: Money,
  discount_tax: Money,
});

export const WooTaxLine = z.object({
  id: Id,
  rate_code: Text,
  label: Text,
  compound: z.boolean().nullish(),
  tax_total: Money,
  shipping_tax_total: Money,
});

export const WooRefundSummary = z.object({
  id: Id,
  reason: Text,
  /** Negative decimal string: "-5.00". */
  total: Money,
});

export const WooOrder = z.object({
  id: Id,
  parent_id: Id.nullish(),
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string().min(1),
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  date_created_gmt: Date,
  date_modified_gmt: Date,
  date_completed_gmt: Date,
  date_paid_gmt: Date,
  discount_total: Money,
  discount_tax: Money,
  shipping_total: Money,
  shipping_tax: Money,
  cart_tax: Money,
  total: Money,
  total_tax: Money,
  prices_include_tax: z.boolean().nullish(),
  customer_id: Id.nullish(),
  customer_note: Text,
  billing: WooAddress.nullish(),
  shipping: WooAddress.nullish(),
  payment_method: Text,
  payment_method_title: Text,
  transaction_id: Text,
  created_via: Text,
  meta_data: z.array(WooMeta).nullish(),
  line_items: z.array(WooLineItem).nullish(),
  tax_lines: z.array(WooTaxLine).nullish(),
  shipping_lines: z.array(WooShippingLine).nullish(),
  fee_lines: z.array(WooFeeLine).nullish(),
  coupon_lines: z.array(WooCouponLine).nullish(),
  refunds: z.array(WooRefundSummary).nullish(),
});
export type WooOrder = z.infer<typeof WooOrder>;

export const WooCustomer = z.object({
  id: Id,
  email: Text,
  first_name: Text,
  last_name: Text,
  username: Text,
  billing: WooAddress.nullish(),
  shipping: WooAddress.nullish(),
});
export type WooCustomer = z.infer<typeof WooCustomer>;

export const WooDeleted = z.object({ id: Id });

/** zod parse that reports the first bad field by its path. */
export function readWire<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : what;
  throw new WooMappingError(field, issue?.message ?? 'invalid');
}
