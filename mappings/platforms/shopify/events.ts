import type { EventType, Order } from '../../../src/core/canonical/index.ts';

const ORDER_TOPICS: Record<string, EventType[]> = {
  // orders/paid follows on its own when an order is paid at creation, so create does not add order.paid
  'orders/create': ['order.created'],
  'orders/updated': ['order.updated'],
  'orders/edited': ['order.updated'],
  'orders/paid': ['order.paid'],
  'orders/fulfilled': ['order.fulfilled'],
  'orders/partially_fulfilled': ['order.fulfilled'],
  'orders/cancelled': ['order.cancelled'],
  'orders/delete': ['order.deleted'],
  'refunds/create': ['order.refunded'],
};

/**
 * The lifecycle events one webhook stands for. Checkouts: one the buyer can be reached at (email or phone)
 * and has not completed is an abandoned checkout in Shopify's sense → checkout.abandoned (the store's own
 * flow decides when to remind); an anonymous or completed one → cart.updated. Unknown topics → [].
 */
export function shopifyTopicEvents(topic: string, order: Order): EventType[] {
  const topicName = topic.trim().toLowerCase();
  if (topicName === 'checkouts/create' || topicName === 'checkouts/update') {
    const reachable = order.customer !== null && (order.customer.email !== null || order.customer.phone !== null);
    return reachable && order.completedAt === null ? ['checkout.abandoned'] : ['cart.updated'];
  }
  return [...(ORDER_TOPICS[topicName] ?? [])];
}
