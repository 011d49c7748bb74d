import type { Order } from '../../../core/canonical/index.ts';
import { orderKey } from '../../../core/canonical/index.ts';
import {
  applyShopifyRefund, mapShopifyCheckout, mapShopifyOrder, readShopifyDeletedOrderId, shopifyTopicEvents,
  readShopifyRefundOrderId,
} from '../../../../mappings/platforms/shopify/index.ts';
import { readShopifyRedactRequest } from '../../../../mappings/platforms/shopify/compliance.ts';
import type { Change } from '../../../core/pipeline/change.ts';
import { tombstone } from '../../../core/pipeline/tombstone.ts';

const ORDER_TOPICS = new Set([
  'orders/create', 'orders/updated', 'orders/paid', 'orders/fulfilled', 'orders/partially_fulfilled', 'orders/cancelled',
]);

/** Translates one verified Shopify webhook into the change it asks of the sync state. Throws on an unreadable payload. */
export function shopifyChange(topic: string, payload: unknown, body: string, shop: string, triggeredAt: number): Change {
  if (ORDER_TOPICS.has(topic)) {
    const order = mapShopifyOrder(payload, shop);
    return { kind: 'order', order, events: shopifyTopicEvents(topic, order), origin: 'webhook' };
  }
  switch (topic) {
    case 'orders/delete': {
      const id = readShopifyDeletedOrderId(payload);
      const key = orderKey('shopify', shop, id);
      return { kind: 'delete', orderKey: key, at: triggeredAt, tombstone: tombstone('shopify', shop, id, triggeredAt) };
    }
    case 'refunds/create': {
      const key = orderKey('shopify', shop, readShopifyRefundOrderId(payload));
      return {
        kind: 'amend', orderKey: key, body,
        amend: (stored: Order) => {
          if (stored.refunds.some((r) => r.id === refundIdOf(payload))) return null;
          const { order } = applyShopifyRefund(stored, payload);
          return { order, events: shopifyTopicEvents(topic, order) };
        },
      };
    }
    case 'checkouts/create':
    case 'checkouts/update': {
      const order = mapShopifyCheckout(payload, shop);
      return { kind: 'order', order, events: shopifyTopicEvents(topic, order), origin: 'webhook' };
    }
    case 'app/uninstalled':
      return { kind: 'uninstalled' };
    case 'customers/redact': {
      const r = readShopifyRedactRequest(payload);
      return { kind: 'redact', customer: r.customer, orderKeys: r.orderIds.map((id) => orderKey('shopify', shop, id)) };
    }
    case 'shop/redact':
      return { kind: 'redactShop' };
    case 'customers/data_request':
      // orderbridge holds copies of orders the shop already has; the merchant answers from Shopify itself.
      return { kind: 'ignored', reason: 'customers/data_request recorded' };
    default:
      return { kind: 'ignored', reason: `topic ${topic} is not handled` };
  }
}

function refundIdOf(payload: unknown): string | null {
  const id = (payload as { id?: unknown } | null)?.id;
  return id === undefined || id === null ? null : String(id);
}
