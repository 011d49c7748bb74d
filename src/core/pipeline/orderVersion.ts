import type { Order } from '../canonical/index.ts';
import { contactPhone, normalEmail } from '../canonical/redact.ts';
import { packOrder } from '../state/packedOrder.ts';
import { sourceTime } from './orderGuard.ts';

/**
 * What the sync state keeps of one order version: the guard's time and status, the keys redaction looks up,
 * and the canonical document already packed as stored (so it can be made on another thread and posted as bytes).
 */
export interface OrderVersion {
  key: string;
  /** `<platform>:<shop>`. */
  shopId: string;
  sourceUpdatedAt: number;
  customerId: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  status: Order['status'];
  /** The platform's creation time (canonical createdAt), ms. */
  sourceCreatedAt: number;
  /** The canonical JSON, packed (packOrder). */
  packed: Uint8Array;
}

export function versionOf(order: Order): OrderVersion {
  return {
    key: order.key,
    shopId: `${order.source.platform}:${order.source.shop}`,
    sourceUpdatedAt: sourceTime(order),
    customerId: order.customer?.id ?? null,
    customerEmail: normalEmail(order.customer?.email),
    customerPhone: contactPhone(order),
    status: order.status,
    sourceCreatedAt: Date.parse(order.createdAt),
    packed: packOrder(JSON.stringify(order)),
  };
}
