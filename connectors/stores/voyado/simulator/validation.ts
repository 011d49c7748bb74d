// What the simulated Voyado checks before it answers 202: the v3 order format (seed 001, FACTS.md, assumptions in README).
import { currencyExponent } from '../../../../src/core/canonical/index.ts';
import { VOYADO_ACTIONS, VOYADO_LIMITS, VOYADO_MATCH_KEY_TYPES, VOYADO_STATUSES } from '../../../../mappings/stores/voyado/index.ts';

/** ASP.NET-style validation errors: field path → messages. Empty = valid. */
export type ValidationErrors = Record<string, string[]>;

/** Largest number of lines one order may carry (assumed). */
export const VOYADO_MAX_LINE_ITEMS = 1000;

const ORDER_FIELDS = new Set([
  'orderId', 'contact', 'externalStoreId', 'status', 'externalStatus', 'currencyCode', 'channel',
  'createdAt', 'lastChangedAt', 'lineItems', 'payments', 'fees', 'discounts', 'delivery', 'billingAddress', 'orderAction',
]);
// ISO 8601 with an explicit zone: Engage stores instants, a bare local time is ambiguous.
const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?(Z|[+-]\d\d:\d\d)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class Checker {
  readonly errors: ValidationErrors = {};
  fail(path: string, message: string): void {
    (this.errors[path] ??= []).push(message);
  }
  object(v: unknown, path: string, required: boolean): Record<string, unknown> | null {
    if (v === undefined || v === null) {
      if (required) this.fail(path, `The ${path} field is required.`);
      return null;
    }
    if (typeof v !== 'object' || Array.isArray(v)) { this.fail(path, 'Must be an object.'); return null; }
    return v as Record<string, unknown>;
  }
  string(v: unknown, path: string, max: number, required = false): string | null {
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(path, `The ${path} field is required.`);
      return null;
    }
    if (typeof v !== 'string') { this.fail(path, 'Must be a string.'); return null; }
    if (v.length > max) this.fail(path, `Must be at most ${max} characters (got ${v.length}).`);
    return v;
  }
  oneOf(v: unknown, path: string, allowed: readonly string[], required = true): void {
    const s = this.string(v, path, 64, required);
    if (s !== null && !allowed.includes(s)) this.fail(path, `Must be one of: ${allowed.join(', ')}.`);
  }
  date(v: unknown, path: string, required: boolean): void {
    const s = this.string(v, path, 40, required);
    if (s !== null && (!ISO_WITH_ZONE.test(s) || Number.isNaN(Date.parse(s)))) {
      this.fail(path, 'Must be an ISO 8601 date-time with a zone, e.g. 2025-12-03T15:15:19+01:00.');
    }
  }
  /** A decimal amount in major units with no more decimals than the currency has; returns minor units. */
  amount(v: unknown, path: string, exponent: number, required = true): number | null {
    if (v === undefined || v === null) {
      if (required) this.fail(path, `The ${path} field is required.`);
      return null;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) { this.fail(path, 'Must be a number.'); return null; }
    const minor = Math.round(v * 10 ** exponent);
    if (Math.abs(minor - v * 10 ** exponent) > 1e-6) { this.fail(path, `At most ${exponent} decimals for this currency.`); return null; }
    return minor;
  }
  array(v: unknown, path: string, required: boolean): unknown[] | null {
    if (v === undefined || v === null) {
      if (required) this.fail(path, `The ${path} field is required.`);
      return null;
    }
    if (!Array.isArray(v)) { this.fail(path, 'Must be an array.'); return null; }
    return v;
  }
}

export function validateOrderBody(body: unknown, pathOrderId?: string): ValidationErrors {
  const c = new Checker();
  const o = c.object(body, '$', true);
  if (!o) return c.errors;
  for (const key of Object.keys(o)) if (!ORDER_FIELDS.has(key)) c.fail(key, 'Unknown field.');

  const orderId = c.string(o.orderId, 'orderId', VOYADO_LIMITS.orderId, pathOrderId === undefined);
  if (pathOrderId !== undefined && orderId !== null && orderId !== pathOrderId) c.fail('orderId', 'Must match the orderId in the path.');
  const contact = c.object(o.contact, 'contact', true);
  if (contact) {
    const key = c.string(contact.matchKey, 'contact.matchKey', VOYADO_LIMITS.matchKey, true);
    c.oneOf(contact.matchKeyType, 'contact.matchKeyType', VOYADO_MATCH_KEY_TYPES);
    if (key !== null && contact.matchKeyType === 'Email' && !EMAIL.test(key)) c.fail('contact.matchKey', 'Not a valid email address.');
  }
  c.string(o.externalStoreId, 'externalStoreId', VOYADO_LIMITS.externalStoreId, true);
  c.oneOf(o.status, 'status', VOYADO_STATUSES);
  c.string(o.externalStatus, 'externalStatus', VOYADO_LIMITS.externalStatus);
  const currency = c.string(o.currencyCode, 'currencyCode', 3, true);
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) c.fail('currencyCode', 'Must be an ISO 4217 code such as EUR.');
  const exponent = currency && /^[A-Z]{3}$/.test(currency) ? currencyExponent(currency) : 2;
  c.string(o.channel, 'channel', VOYADO_LIMITS.channel);
  c.date(o.createdAt, 'createdAt', true);
  c.date(o.lastChangedAt, 'lastChangedAt', false);
  const lines = checkLineItems(c, o.lineItems, exponent);
  const paid = checkAmountList(c, o.payments, 'payments', exponent, (item, p) => { c.string(item.method, `${p}.method`, VOYADO_LIMITS.text, true); });
  let feeTax = 0;
  const fees = checkAmountList(c, o.fees, 'fees', exponent, (item, p) => {
    c.oneOf(item.type, `${p}.type`, ['Shipping', 'Other']);
    c.string(item.description, `${p}.description`, VOYADO_LIMITS.text);
    feeTax += c.amount(item.taxAmount, `${p}.taxAmount`, exponent, false) ?? 0;
  });
  if (paid !== null && lines !== null) {
    // prices with tax: lines and fees make the total; before tax: their taxes too (v2 asked the same: "must add up")
    const withTax = lines.subTotal + (fees ?? 0);
    if (paid !== withTax && paid !== withTax + lines.tax + feeTax) {
      c.fail('payments.total', 'Must equal lineItems.subTotal + fees.total, plus every taxAmount when prices are before tax.');
    }
  }
  const discounts = c.object(o.discounts, 'discounts', false);
  if (discounts) {
    const total = c.amount(discounts.total, 'discounts.total', exponent);
    if (total !== null && total < 0) c.fail('discounts.total', 'Must not be negative.');
    for (const [i, d] of (c.array(discounts.items, 'discounts.items', false) ?? []).entries()) {
      const item = c.object(d, `discounts.items[${i}]`, true);
      if (item) c.string(item.code, `discounts.items[${i}].code`, VOYADO_LIMITS.text, true);
    }
  }
  checkDelivery(c, o.delivery, 'delivery');
  const billing = c.object(o.billingAddress, 'billingAddress', false);
  if (billing) {
    for (const f of ['firstname', 'lastname', 'company', 'street', 'street2', 'zipCode', 'city', 'region', 'phone', 'email']) {
      c.string(billing[f], `billingAddress.${f}`, VOYADO_LIMITS.text);
    }
    const country = c.string(billing.countryCode, 'billingAddress.countryCode', 2);
    if (country !== null && !/^[A-Z]{2}$/.test(country)) c.fail('billingAddress.countryCode', 'Must be ISO 3166-1 alpha-2.');
  }
  checkAction(c, o.orderAction, 'orderAction', false);
  return c.errors;
}

/** The lines' subTotal and Σ taxAmount in minor units, when they read. */
function checkLineItems(c: Checker, v: unknown, exponent: number): { subTotal: number; tax: number } | null {
  const li = c.object(v, 'lineItems', true);
  if (!li) return null;
  const items = c.array(li.items, 'lineItems.items', true);
  if (items && items.length === 0) c.fail('lineItems.items', 'At least one line item is required.');
  if (items && items.length > VOYADO_MAX_LINE_ITEMS) c.fail('lineItems.items', `At most ${VOYADO_MAX_LINE_ITEMS} line items.`);
  let sum = 0;
  let tax = 0;
  for (const [i, raw] of (items ?? []).entries()) {
    const p = `lineItems.items[${i}]`;
    const item = c.object(raw, p, true);
    if (!item) continue;
    c.string(item.sku, `${p}.sku`, VOYADO_LIMITS.sku, true);
    c.string(item.name, `${p}.name`, VOYADO_LIMITS.text);
    for (const f of ['id', 'productId', 'variantId', 'taxClass', 'category']) c.string(item[f], `${p}.${f}`, VOYADO_LIMITS.text);
    for (const f of ['productUrl', 'imageUrl']) c.string(item[f], `${p}.${f}`, VOYADO_LIMITS.url);
    if (!Number.isInteger(item.quantity) || (item.quantity as number) <= 0) c.fail(`${p}.quantity`, 'Must be a positive integer.');
    c.amount(item.unitPrice, `${p}.unitPrice`, exponent);
    const gross = c.amount(item.grossAmount, `${p}.grossAmount`, exponent, false);
    const discount = c.amount(item.discountAmount, `${p}.discountAmount`, exponent, false) ?? 0;
    const total = c.amount(item.totalAmount, `${p}.totalAmount`, exponent);
    tax += c.amount(item.taxAmount, `${p}.taxAmount`, exponent, false) ?? 0;
    if (gross !== null && total !== null && gross - discount !== total) c.fail(`${p}.totalAmount`, 'Must equal grossAmount - discountAmount.');
    sum += total ?? 0;
  }
  const subTotal = c.amount(li.subTotal, 'lineItems.subTotal', exponent);
  if (subTotal !== null && items && subTotal !== sum) c.fail('lineItems.subTotal', 'Must equal the sum of the line items\' totalAmount.');
  return subTotal === null ? null : { subTotal, tax };
}

/** The list's total in minor units, when it is there and reads. */
function checkAmountList(
  c: Checker, v: unknown, path: string, exponent: number, each: (item: Record<string, unknown>, p: string) => void,
): number | null {
  const list = c.object(v, path, false);
  if (!list) return null;
  let sum = 0;
  for (const [i, raw] of (c.array(list.items, `${path}.items`, true) ?? []).entries()) {
    const item = c.object(raw, `${path}.items[${i}]`, true);
    if (!item) continue;
    each(item, `${path}.items[${i}]`);
    sum += c.amount(item.amount, `${path}.items[${i}].amount`, exponent) ?? 0;
  }
  const total = c.amount(list.total, `${path}.total`, exponent);
  if (total !== null && total !== sum) c.fail(`${path}.total`, 'Must equal the sum of the items\' amount.');
  return total;
}

function checkDelivery(c: Checker, v: unknown, path: string): void {
  const d = c.object(v, path, false);
  if (!d) return;
  c.string(d.method, `${path}.method`, VOYADO_LIMITS.text);
  c.string(d.trackingNumber, `${path}.trackingNumber`, VOYADO_LIMITS.text);
  const uri = c.string(d.trackingUri, `${path}.trackingUri`, VOYADO_LIMITS.url);
  if (uri !== null && !/^https?:\/\/\S+$/.test(uri)) c.fail(`${path}.trackingUri`, 'Must be an absolute http(s) URI.');
  c.date(d.deliveryDate, `${path}.deliveryDate`, false);
}

function checkAction(c: Checker, v: unknown, path: string, required: boolean, needsVersionTag = false): void {
  const a = c.object(v, path, required);
  if (!a) return;
  c.oneOf(a.action, `${path}.action`, VOYADO_ACTIONS);
  if (needsVersionTag) c.string(a.versionTag, `${path}.versionTag`, 256, true);
  const language = c.string(a.language, `${path}.language`, VOYADO_LIMITS.language);
  if (language !== null && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) c.fail(`${path}.language`, 'Must be a language tag such as en-US.');
  if (a.data !== undefined && (typeof a.data !== 'object' || a.data === null || Array.isArray(a.data))) c.fail(`${path}.data`, 'Must be an object.');
}

/** POST /orders/{orderId}/change-status. */
export function validateChangeStatus(body: unknown): ValidationErrors {
  const c = new Checker();
  const o = c.object(body, '$', true);
  if (!o) return c.errors;
  c.oneOf(o.status, 'status', VOYADO_STATUSES);
  c.string(o.externalStatus, 'externalStatus', VOYADO_LIMITS.externalStatus);
  c.date(o.lastChangedAt, 'lastChangedAt', true);
  checkAction(c, o.orderAction, 'orderAction', false);
  return c.errors;
}

/** POST /orders/{orderId}/change-delivery: at least one delivery field. */
export function validateChangeDelivery(body: unknown): ValidationErrors {
  const c = new Checker();
  const o = c.object(body, '$', true);
  if (!o) return c.errors;
  const { lastChangedAt, orderAction, ...delivery } = o;
  if (!['method', 'trackingNumber', 'trackingUri', 'deliveryDate'].some((f) => delivery[f] !== undefined)) {
    c.fail('$', 'At least one of method, trackingNumber, trackingUri, deliveryDate is required.');
  }
  checkDelivery(c, delivery, 'delivery');
  c.date(lastChangedAt, 'lastChangedAt', true);
  checkAction(c, orderAction, 'orderAction', false);
  return c.errors;
}

/** POST /orders/{orderId}/action. */
export function validateActionBody(body: unknown): ValidationErrors {
  const c = new Checker();
  checkAction(c, body, '$', true, true);
  return c.errors;
}
