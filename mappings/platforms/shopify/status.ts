import type { OrderStatus } from '../../../src/core/canonical/index.ts';

export interface StatusFacts {
  cancelled_at?: string | null;
  closed_at?: string | null;
  financial_status?: string | null;
  fulfillment_status?: string | null;
}

/**
 * Shopify has no single order status; the canonical one is read in this order (first match wins):
 * cancelled_at set → cancelled; financial refunded → refunded; financial voided → cancelled;
 * fulfilled and closed (archived) → completed; fulfilled → fulfilled; paid or partially_refunded → paid;
 * anything else (pending, authorized, partially_paid, expired, unknown) → placed.
 */
export function shopifyOrderStatus(o: StatusFacts): OrderStatus {
  const financial = o.financial_status?.toLowerCase() ?? null;
  const fulfillment = o.fulfillment_status?.toLowerCase() ?? null;
  if (o.cancelled_at) return 'cancelled';
  if (financial === 'refunded') return 'refunded';
  if (financial === 'voided') return 'cancelled';
  if (fulfillment === 'fulfilled') return o.closed_at ? 'completed' : 'fulfilled';
  if (financial === 'paid' || financial === 'partially_refunded') return 'paid';
  return 'placed';
}

/** Shopify's own word, as its admin filters orders: open, closed (archived) or cancelled. */
export function shopifyPlatformStatus(o: StatusFacts): string {
  return o.cancelled_at ? 'cancelled' : o.closed_at ? 'closed' : 'open';
}
