import type { EventType, OrderStatus } from '../../../src/core/canonical/index.ts';
import type { EsOrderStatus } from './types.ts';

/**
 * Canonical status → ECDP status (ECDP has four). The planner never sends `deleted` orders
 * (they become DELETE /orders/{id}) nor `abandoned` ones (a checkout, not a purchase); their
 * entries only keep the table total.
 */
export const DEFAULT_STATUS_MAP: Record<OrderStatus, EsOrderStatus> = {
  placed: 'placed',
  paid: 'paid',
  // shipped to the buyer: the purchase is done as far as marketing flows care (WooCommerce "completed")
  fulfilled: 'completed',
  completed: 'completed',
  cancelled: 'canceled',
  // a refund does not undo the purchase; the refunded money travels in returnsValue
  refunded: 'completed',
  deleted: 'canceled',
  abandoned: 'placed',
};

export function toEsStatus(
  status: OrderStatus,
  overrides: Partial<Record<OrderStatus, EsOrderStatus>>,
): EsOrderStatus {
  return overrides[status] ?? DEFAULT_STATUS_MAP[status];
}

/**
 * Events that change nothing ECDP keeps except the status. Not a fulfilment (it brings trackingNumber and
 * trackingUrl) nor a cancellation (cancelReason, and the refunds in returnsValue): those resend the order.
 */
export const STATUS_ONLY_EVENTS: ReadonlySet<EventType> = new Set<EventType>(['order.paid', 'order.delivered']);

/**
 * True when a status PUT is enough: a live webhook change whose coalesced events are all
 * status-only. Such a run has no order.created, so the order reached the store before
 * (the engine coalesces events since the last delivery). Resync and replay items always
 * carry the whole order, because nothing says what the store holds then.
 */
export function isStatusOnlyChange(events: readonly EventType[], origin: 'webhook' | 'resync' | 'replay'): boolean {
  return origin === 'webhook' && events.length > 0 && events.every((e) => STATUS_ONLY_EVENTS.has(e));
}
