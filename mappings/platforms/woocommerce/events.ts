import type { EventType, Order } from '../../../src/core/canonical/index.ts';
import { readWire, WooDeleted } from './wire.ts';

const isPaid = (o: Order) => ['paid', 'partially_refunded', 'refunded'].includes(o.financialStatus ?? '');
const isFulfilled = (o: Order) => o.status === 'fulfilled' || o.status === 'completed';

/**
 * Webhook topic → lifecycle events, oldest-first order of meaning.
 * order.updated carries no "what changed", so the lifecycle events are derived from the order's state:
 * with `previous` (the last version seen) only transitions are reported; without it, every state that holds
 * is reported again (paid, fulfilled, cancelled, refunded) and stores must treat them as idempotent.
 * Unknown or non-order topics give [].
 */
export function wooTopicEvents(topic: string, order: Order, previous?: Order | null): EventType[] {
  switch (topic) {
    case 'order.created':
      return ['order.created'];
    case 'order.deleted':
      return ['order.deleted'];
    case 'order.restored': // back from the trash: the order exists again as it is
      return ['order.updated'];
    case 'order.updated':
      return ['order.updated', ...derived(order, previous ?? null)];
    default:
      return [];
  }
}

function derived(order: Order, previous: Order | null): EventType[] {
  const events: EventType[] = [];
  if (order.status === 'paid' && isPaid(order) && !(previous && isPaid(previous))) events.push('order.paid');
  if (isFulfilled(order) && !(previous && isFulfilled(previous))) events.push('order.fulfilled');
  if (order.status === 'cancelled' && previous?.status !== 'cancelled') events.push('order.cancelled');
  const refundedMore = previous ? order.totals.refunded > previous.totals.refunded : order.totals.refunded > 0;
  const becameRefunded = order.status === 'refunded' && previous?.status !== 'refunded';
  if (refundedMore || becameRefunded) events.push('order.refunded');
  return events;
}

/** order.deleted (trash) carries only `{ "id": N }`. */
export function readWooDeletedOrderId(payload: unknown): string {
  return String(readWire(WooDeleted, payload, 'id').id);
}
