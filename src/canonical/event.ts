import { z } from 'zod';
import { Customer, Order, Refund } from './order.ts';

export const EVENT_TYPES = [
  'order.created', 'order.updated', 'order.paid', 'order.fulfilled', 'order.delivered',
  'order.cancelled', 'order.refunded', 'order.deleted',
  'cart.updated', 'checkout.abandoned', 'customer.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const Event = z.object({
  type: z.enum(EVENT_TYPES),
  occurredAt: z.string().datetime({ offset: false }),
  /** The order (or cart) as it stands after the event; null for customer events. */
  order: Order.nullable(),
  customer: Customer.nullable(),
  refund: Refund.nullable(),
});
export type Event = z.infer<typeof Event>;
