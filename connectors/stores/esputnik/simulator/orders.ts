// v1/orders as seed 004 and FACTS describe it: batch ≤ 1000, per-order failures listed in a 200 answer.
import { currencyExponent, formatMinor, toMinor } from '../../../../src/core/canonical/index.ts';
import { ESPUTNIK_ORDER_STATUSES } from '../../../../mappings/stores/esputnik/index.ts';
import type { EsputnikSimState, SimOrder } from './state.ts';

export const SIM_MAX_ORDERS = 1000;
/** Not documented; chosen as a plausible column size (README, assumptions). */
export const SIM_MAX_ID_LENGTH = 100;
export const DATE_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)?$/;

export interface SimAnswer {
  status: 200 | 400;
  body: unknown;
}

/** `POST /v1/orders` on a parsed JSON body. */
export function addOrders(state: EsputnikSimState, body: unknown): SimAnswer {
  const orders = body && typeof body === 'object' ? (body as { orders?: unknown }).orders : undefined;
  if (!Array.isArray(orders)) return { status: 400, body: { message: 'Request body must be {"orders": [...]}' } };
  if (orders.length === 0) return { status: 400, body: { message: 'orders must not be empty' } };
  if (orders.length > SIM_MAX_ORDERS) {
    return { status: 400, body: { message: `Too many orders in one request: ${orders.length} (maximum ${SIM_MAX_ORDERS})` } };
  }
  const failedOrders: { externalOrderId: string | null; errorMessage: string }[] = [];
  for (const raw of orders) {
    const errors = orderErrors(raw);
    if (errors.length > 0) {
      const id = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).externalOrderId : undefined;
      failedOrders.push({ externalOrderId: typeof id === 'string' ? id : null, errorMessage: errors.join('; ') });
      continue;
    }
    const order = raw as SimOrder;
    state.orders.set(order.externalOrderId, order); // same externalOrderId = update
    state.rememberOrderContact(order);
  }
  return { status: 200, body: { failedOrders } };
}

/** `DELETE /v1/orders?externalOrderId=`: asynchronous at eSputnik, immediate here. */
export function deleteOrder(state: EsputnikSimState, externalOrderId: string | undefined): SimAnswer {
  if (!externalOrderId) return { status: 400, body: { message: 'externalOrderId query parameter is required' } };
  state.orders.delete(externalOrderId);
  state.deletedOrders.push(externalOrderId);
  return { status: 200, body: {} };
}

/** Everything wrong with one order, in the words the answer uses; [] = acceptable. */
export function orderErrors(raw: unknown): string[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return ['order must be an object'];
  const o = raw as Record<string, unknown>;
  const errors: string[] = [];
  const text = (key: string, required: boolean, max?: number) => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) errors.push(`${key} is required`);
    } else if (typeof v !== 'string') errors.push(`${key} must be a string`);
    else if (required && v.trim() === '') errors.push(`${key} must not be empty`);
    else if (max !== undefined && v.length > max) errors.push(`${key} is longer than ${max} characters`);
  };
  const number = (key: string, required: boolean) => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) errors.push(`${key} is required`);
    } else if (typeof v !== 'number' || !Number.isFinite(v)) errors.push(`${key} must be a number`);
    else if (v < 0) errors.push(`${key} must not be negative`);
  };
  text('externalOrderId', true, SIM_MAX_ID_LENGTH);
  number('totalCost', true);
  if (!ESPUTNIK_ORDER_STATUSES.includes(o.status as never)) {
    errors.push(`status must be one of ${ESPUTNIK_ORDER_STATUSES.join(', ')}`);
  }
  if (typeof o.date !== 'string' || !DATE_PATTERN.test(o.date) || Number.isNaN(Date.parse(o.date))) {
    errors.push('date is required as yyyy-MM-ddTHH:mm:ss with an optional offset');
  }
  if (typeof o.currency !== 'string' || !/^[A-Z]{3}$/.test(o.currency)) errors.push('currency is required (ISO 4217 code)');
  text('externalCustomerId', false, SIM_MAX_ID_LENGTH);
  text('email', false);
  text('phone', false);
  if (typeof o.email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(o.email)) errors.push('email is not valid');
  if (typeof o.phone === 'string' && !/^\+?\d{5,15}$/.test(o.phone)) errors.push('phone must be in international format');
  if (![o.externalCustomerId, o.email, o.phone].some((v) => typeof v === 'string' && v !== '')) {
    errors.push('one of externalCustomerId, email or phone is required');
  }
  for (const key of ['firstName', 'lastName', 'deliveryMethod', 'paymentMethod', 'deliveryAddress', 'source']) text(key, false);
  for (const key of ['shipping', 'discount', 'taxes']) number(key, false);
  if (o.items !== undefined) errors.push(...itemErrors(o));
  return errors;
}

function itemErrors(o: Record<string, unknown>): string[] {
  if (!Array.isArray(o.items)) return ['items must be an array'];
  const errors: string[] = [];
  o.items.forEach((raw, i) => {
    const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    // All six are documented as required: an empty string is taken as missing.
    for (const key of ['externalItemId', 'name', 'url', 'imageUrl']) {
      if (typeof item[key] !== 'string' || (item[key] as string).trim() === '') errors.push(`items[${i}].${key} is required`);
    }
    if (typeof item.quantity !== 'number' || !(item.quantity > 0)) errors.push(`items[${i}].quantity must be a positive number`);
    if (typeof item.cost !== 'number' || !Number.isFinite(item.cost) || item.cost < 0) {
      errors.push(`items[${i}].cost must be a number`);
    }
  });
  if (errors.length === 0 && typeof o.totalCost === 'number' && typeof o.currency === 'string') {
    const mismatch = costMismatch(o.items as { cost: number }[], o.totalCost, o.shipping, o.currency);
    if (mismatch) errors.push(mismatch);
  }
  return errors;
}

/**
 * "The price of the products transferred in an order must match the totalCost value." The document's own
 * example (items 990 + shipping 10 = totalCost 1000) shows shipping outside the items, so either reading passes.
 */
function costMismatch(items: { cost: number }[], totalCost: number, shipping: unknown, currency: string): string | null {
  const exp = currencyExponent(currency);
  const items_ = items.reduce((s, i) => s + toMinor(i.cost, exp), 0);
  const total = toMinor(totalCost, exp);
  const ship = typeof shipping === 'number' ? toMinor(shipping, exp) : 0;
  if (items_ === total || items_ + ship === total) return null;
  return `sum of items cost (${formatMinor(items_, exp)}) does not match totalCost (${formatMinor(total, exp)})`;
}
