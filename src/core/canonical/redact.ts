import type { Address, Order } from './order.ts';

/** Who asked to be forgotten (Shopify customers/redact, a GDPR erasure request). */
export interface RedactIdentity {
  id?: string | null;
  email?: string | null;
  phone?: string | null;
}

// Emails compare trimmed and lower-cased, wherever they are stored or looked up.
export const normalEmail = (v: string | null | undefined): string | null => {
  const t = v?.trim().toLowerCase();
  return t ? t : null;
};
// "+1 (502) 459-2181" and "+15024592181" are one number; short digit runs are too ambiguous to match on
export const phoneDigits = (v: string | null | undefined): string | null => {
  const digits = (v ?? '').replace(/\D/g, '');
  return digits.length >= 6 ? digits : null;
};

/** Whether the order is that person's: same customer id, or (guests too) same email or phone. */
export function orderBelongsTo(order: Order, who: RedactIdentity): boolean {
  const c = order.customer;
  if (who.id && c?.id === who.id) return true;
  const e = normalEmail(who.email);
  if (e !== null && normalEmail(c?.email) === e) return true;
  const p = phoneDigits(who.phone);
  if (p === null) return false;
  return [c?.phone, order.billingAddress?.phone, order.shippingAddress?.phone].some((x) => phoneDigits(x) === p);
}

/** The phone an order is looked up by for a privacy request: the customer's, else the billing address's. */
export function contactPhone(order: Order): string | null {
  return phoneDigits(order.customer?.phone) ?? phoneDigits(order.billingAddress?.phone);
}

/**
 * The order with its personal data removed when it belongs to `who`, else null.
 * See redactOrderPersonalData for what goes and what stays.
 */
export function redactCustomerFromOrder(order: Order, who: RedactIdentity): Order | null {
  return orderBelongsTo(order, who) ? redactOrderPersonalData(order) : null;
}

function redactAddress(a: Address | null): Address | null {
  if (a === null) return null;
  // city, province and country stay: coarse enough to be anonymous, and what sales reports group by
  return { ...a, firstName: null, lastName: null, company: null, address1: null, address2: null, postalCode: null, phone: null };
}

/**
 * Removes what identifies the buyer: the customer (id, names, email, phone, consent), names, street,
 * postal code and phone of both addresses, tracking numbers (they lead to the address), and free text that
 * buyers fill with personal details (order note, order and line attributes, refund reasons). Money,
 * items, statuses, dates, tags and the coarse location (city, province, country) stay.
 */
export function redactOrderPersonalData(order: Order): Order {
  return {
    ...order,
    customer: null,
    billingAddress: redactAddress(order.billingAddress),
    shippingAddress: redactAddress(order.shippingAddress),
    lineItems: order.lineItems.map((l) => ({ ...l, attributes: {} })),
    shipping: { ...order.shipping, tracking: order.shipping.tracking.map((t) => ({ ...t, number: null, url: null })) },
    refunds: order.refunds.map((r) => ({ ...r, reason: null })),
    note: null,
    attributes: {},
  };
}
