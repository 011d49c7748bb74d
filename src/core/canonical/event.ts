import { z } from 'zod';
import { Customer, Order, Refund } from './order.ts';

export const EVENT_TYPES = [
  'order.created', 'order.updated', 'order.paid', 'order.fulfilled', 'order.delivered',
  'order.cancelled', 'order.refunded', 'order.deleted',
  'cart.updated', 'checkout.abandoned', 'customer.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An order's creation precedes whatever else happened to it, whichever webhook arrived first. */
export function createdFirst<E extends string>(events: E[]): E[] {
  const at = events.indexOf('order.created' as E);
  return at <= 0 ? events : ['order.created' as E, ...events.slice(0, at), ...events.slice(at + 1)];
}

export const Event = z.object({
  type: z.enum(EVENT_TYPES),
  occurredAt: z.string().datetime({ offset: false }),
  /** The order (or cart) as it stands after the event; null for customer events. */
  order: Order.nullable(),
  customer: Customer.nullable(),
  refund: Refund.nullable(),
});
export type Event = z.infer<typeof Event>;
