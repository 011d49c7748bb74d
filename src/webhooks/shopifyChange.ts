import type { Order } from '../canonical/index.ts';
import { orderKey } from '../canonical/index.ts';
import {
  applyShopifyRefund, mapShopifyCheckout, mapShopifyOrder, readShopifyDeletedOrderId, shopifyTopicEvents,
  readShopifyRefundOrderId,
} from '../../mappings/shopify/index.ts';
import { readShopifyRedactRequest } from '../../mappings/shopify/compliance.ts';
import { formatPath, ShopifyMappingError } from '../../mappings/shopify/errors.ts';
import { z } from 'zod';
import type { Change } from '../pipeline/change.ts';
import { tombstone } from '../pipeline/tombstone.ts';

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
      const r = oneLineErrors(() => readShopifyRedactRequest(payload));
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

/** Issues named in a quarantine message; a payload wrong everywhere would otherwise make a very long line. */
const MAX_ISSUES = 5;

/**
 * A zod error's own message is a multi-line JSON dump of its issues: rethrown as a ShopifyMappingError naming
 * each offending path (formatted like readWire's, e.g. `orders_to_redact[1]`) and its problem, on one line.
 */
function oneLineErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof z.ZodError) || error.issues.length === 0) throw error;
    const [first, ...rest] = error.issues.map((i) => ({ path: formatPath(i.path), problem: problemOf(i).replace(/\s+/g, ' ') }));
    const others = rest.slice(0, MAX_ISSUES - 1).map((i) => `; ${i.path}: ${i.problem}`).join('');
    const unnamed = rest.length - (MAX_ISSUES - 1);
    const more = unnamed > 0 ? ` (and ${unnamed} more issue${unnamed > 1 ? 's' : ''})` : '';
    throw new ShopifyMappingError(first!.path, `${first!.problem}${others}${more}`);
  }
}

/** An issue's message without zod's "Invalid input: " prefix; a union of plain types says which it expected (`expected string or number, received boolean`). */
function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    const branches = issue.errors.map((e) => (e.length === 1 && e[0]!.code === 'invalid_type' && e[0]!.path.length === 0 ? e[0]! : null));
    if (branches.length > 0 && branches.every((b) => b !== null)) {
      const received = /, received (.+)$/.exec(branches[0]!.message)?.[1];
      return `expected ${branches.map((b) => (b as z.core.$ZodIssueInvalidType).expected).join(' or ')}${received ? `, received ${received}` : ''}`;
    }
  }
  return issue.message.replace(/^Invalid input: /, '');
}

function refundIdOf(payload: unknown): string | null {
  const id = (payload as { id?: unknown } | null)?.id;
  return id === undefined || id === null ? null : String(id);
}
