import type { Order } from '../canonical/index.ts';
import { contactPhone, normalEmail } from '../canonical/redact.ts';
import { sourceTime } from './orderGuard.ts';

/**
 * What the sync state keeps of one order version: the guard's time, the keys redaction looks up, and
 * the canonical document already serialised (so it can be made on another thread and posted as text).
 */
export interface OrderVersion {
  key: string;
  /** `<platform>:<shop>`. */
  shopId: string;
  sourceUpdatedAt: number;
  customerId: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  canonical: string;
}

export function versionOf(order: Order): OrderVersion {
  return {
    key: order.key,
    shopId: `${order.source.platform}:${order.source.shop}`,
    sourceUpdatedAt: sourceTime(order),
    customerId: order.customer?.id ?? null,
    customerEmail: normalEmail(order.customer?.email),
    customerPhone: contactPhone(order),
    canonical: JSON.stringify(order),
  };
}
