import { orderKey } from '../../../core/canonical/index.ts';
import { mapWooCustomer, mapWooOrder, readWooDeletedOrderId, wooTopicEvents } from '../../../../mappings/platforms/woocommerce/index.ts';
import type { Change } from '../../../core/pipeline/change.ts';
import { tombstone } from '../../../core/pipeline/tombstone.ts';

const ORDER_TOPICS = new Set(['order.created', 'order.updated', 'order.restored']);

/** Translates one verified WooCommerce delivery into the change it asks of the sync state. Throws on an unreadable payload. */
export function wooChange(topic: string, payload: unknown, shop: string, storeCurrency: string | undefined, receivedAt: number): Change {
  if (ORDER_TOPICS.has(topic)) {
    const order = mapWooOrder(payload, shop, { storeCurrency });
    return { kind: 'order', order, events: (previous) => wooTopicEvents(topic, order, previous), origin: 'webhook' };
  }
  switch (topic) {
    case 'order.deleted': {
      // The body is the order at send time, or only {id} once it is gone for good; WooCommerce sends no deletion time.
      const id = readWooDeletedOrderId(payload);
      return { kind: 'delete', orderKey: orderKey('woocommerce', shop, id), at: receivedAt, tombstone: tombstone('woocommerce', shop, id, receivedAt) };
    }
    case 'customer.created': {
      const customer = mapWooCustomer(payload);
      return { kind: 'customer', key: `woocommerce:${shop}:customer:${customer.id ?? 'guest'}`, customer, events: ['customer.created'] };
    }
    default:
      return { kind: 'ignored', reason: `topic ${topic} is not handled` };
  }
}
