import type { EsAttribute, EsOrder } from './types.ts';

/**
 * The documented maximum character counts (seed 002). ECDP runs on .NET, whose length checks
 * count UTF-16 code units, which is what String.length counts too.
 */
export const ES_LIMITS = {
  orderId: 128,
  timeZone: 100,
  currency: 3,
  customerEmail: 320,
  customerPhone: 20,
  customerCrmId: 128,
  productId: 128,
  productName: 2048,
  productUrl: 2048,
  productImageUrl: 2048,
  productCategory: 2048,
  attributeName: 256,
} as const;

/** Documented maximum of quantity and returned: int32. */
export const ES_MAX_INT32 = 2147483647;

/** One field that ECDP would refuse, named by its path in the request body. */
export interface LimitViolation {
  field: string;
  message: string;
}

function tooLong(field: string, value: string | undefined, max: number, out: LimitViolation[]): void {
  if (value !== undefined && value.length > max) {
    out.push({ field, message: `${field} is ${value.length} characters; ExpertSender allows at most ${max}` });
  }
}

function required(field: string, value: string | undefined, out: LimitViolation[]): void {
  if (value === undefined || value.length === 0) out.push({ field, message: `${field} is required and must not be empty` });
}

function int32(field: string, value: number, out: LimitViolation[]): void {
  if (!Number.isInteger(value) || value < 0 || value > ES_MAX_INT32) {
    out.push({ field, message: `${field} is ${value}; ExpertSender takes a whole number from 0 to ${ES_MAX_INT32}` });
  }
}

function attributes(path: string, list: EsAttribute[] | undefined, out: LimitViolation[]): void {
  list?.forEach((a, i) => {
    required(`${path}[${i}].name`, a.name, out);
    tooLong(`${path}[${i}].name`, a.name, ES_LIMITS.attributeName, out);
  });
}

/**
 * Checks a mapped order against the documented limits before it is sent, so a value that
 * does not fit is refused with a reason instead of being cut or bouncing off the store.
 */
export function findLimitViolations(order: EsOrder): LimitViolation[] {
  const out: LimitViolation[] = [];
  required('id', order.id, out);
  tooLong('id', order.id, ES_LIMITS.orderId, out);
  tooLong('timeZone', order.timeZone, ES_LIMITS.timeZone, out);
  if (order.currency.length !== ES_LIMITS.currency) {
    out.push({ field: 'currency', message: `currency "${order.currency}" must be exactly 3 characters` });
  }
  if (!Number.isFinite(order.totalValue)) out.push({ field: 'totalValue', message: 'totalValue is not a number' });
  tooLong('customer.email', order.customer.email, ES_LIMITS.customerEmail, out);
  tooLong('customer.phone', order.customer.phone, ES_LIMITS.customerPhone, out);
  tooLong('customer.crmId', order.customer.crmId, ES_LIMITS.customerCrmId, out);
  order.products.forEach((p, i) => {
    const at = `products[${i}]`;
    required(`${at}.id`, p.id, out);
    tooLong(`${at}.id`, p.id, ES_LIMITS.productId, out);
    required(`${at}.name`, p.name, out);
    tooLong(`${at}.name`, p.name, ES_LIMITS.productName, out);
    tooLong(`${at}.url`, p.url, ES_LIMITS.productUrl, out);
    tooLong(`${at}.imageUrl`, p.imageUrl, ES_LIMITS.productImageUrl, out);
    tooLong(`${at}.category`, p.category, ES_LIMITS.productCategory, out);
    int32(`${at}.quantity`, p.quantity, out);
    int32(`${at}.returned`, p.returned, out);
    attributes(`${at}.productAttributes`, p.productAttributes, out);
  });
  attributes('orderAttributes', order.orderAttributes, out);
  return out;
}
