import type { Order } from '../../../src/core/canonical/index.ts';
import {
  addressLine, compact, contactOf, esputnikDate, esputnikItems, esputnikStatus, externalOrderId, isCompletedCheckout, isUnwantedTestOrder, major,
  nonEmpty, TEST_ORDER_SKIP, type EsputnikMappingOptions,
} from './common.ts';
import type { EsputnikOrder } from './types.ts';

export interface EsputnikOrdersOptions extends EsputnikMappingOptions {
  /** Items are optional in v1/orders; off = totals only (RFM), e.g. when item URLs are unwanted. */
  sendItems: boolean;
}

/** What one delivery item becomes on the v1/orders API. */
export type OrderWrite =
  | { action: 'upsert'; order: EsputnikOrder }
  | { action: 'delete'; externalOrderId: string }
  | { action: 'skip'; reason: string }
  | { action: 'reject'; problem: string };

/** Newest canonical order → an upsert (same externalOrderId updates), a delete, or a reason not to send. */
export function planOrderWrite(order: Order | null, options: EsputnikOrdersOptions): OrderWrite {
  if (!order) return { action: 'skip', reason: 'no order to send (customer-only change)' };
  if (isUnwantedTestOrder(order, options)) return { action: 'skip', reason: TEST_ORDER_SKIP };
  if (order.status === 'deleted') return { action: 'delete', externalOrderId: externalOrderId(order, options) };
  // A checkout the buyer completed is no abandoned cart: its record goes (the purchase arrives as its own order).
  if (isCompletedCheckout(order)) return { action: 'delete', externalOrderId: externalOrderId(order, options) };
  const mapped = toEsputnikOrder(order, options);
  return 'problem' in mapped ? { action: 'reject', problem: mapped.problem } : { action: 'upsert', order: mapped };
}

export function toEsputnikOrder(order: Order, options: EsputnikOrdersOptions): EsputnikOrder | { problem: string } {
  const contact = contactOf(order, options);
  if (!contact.externalCustomerId && !contact.email && !contact.phone) {
    return { problem: 'eSputnik orders need externalCustomerId, email or phone; the order has none' };
  }
  return compact({
    externalOrderId: externalOrderId(order, options),
    externalCustomerId: contact.externalCustomerId,
    totalCost: major(order, order.totals.total),
    status: esputnikStatus(order.status, options),
    date: esputnikDate(order.createdAt),
    currency: order.currency,
    email: contact.email,
    phone: contact.phone,
    firstName: contact.firstName,
    lastName: contact.lastName,
    shipping: major(order, order.totals.shipping),
    discount: major(order, order.totals.discount),
    taxes: major(order, order.totals.tax),
    deliveryMethod: nonEmpty(order.shipping.method),
    paymentMethod: nonEmpty(order.paymentMethod),
    deliveryAddress: addressLine(order.shippingAddress ?? order.billingAddress),
    source: order.source.platform,
    items: options.sendItems && order.lineItems.length > 0 ? esputnikItems(order, options) : undefined,
  });
}

