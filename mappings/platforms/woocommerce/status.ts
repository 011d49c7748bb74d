import type { OrderStatus } from '../../../src/core/canonical/index.ts';

/**
 * WooCommerce order status → canonical status. The table in README.md is this table; keep them together.
 * Core statuses first, then statuses of widespread plugins (shipment tracking, pre-orders, deposits).
 */
export const WOO_STATUS_TABLE: Readonly<Record<string, OrderStatus>> = {
  pending: 'placed', // awaiting payment
  processing: 'paid', // paid, awaiting fulfilment
  'on-hold': 'placed', // awaiting payment confirmation (bank transfer, cheque)
  completed: 'completed', // fulfilled and done
  cancelled: 'cancelled',
  refunded: 'refunded',
  failed: 'abandoned', // payment failed or declined: the buyer did not complete the purchase
  'checkout-draft': 'abandoned', // block checkout draft: a checkout in progress, never placed
  trash: 'deleted',
  // plugin statuses
  shipped: 'fulfilled',
  'partial-shipped': 'paid',
  'partially-shipped': 'paid',
  'awaiting-shipment': 'paid',
  'ready-pickup': 'paid',
  delivered: 'completed',
  'pre-ordered': 'placed',
  'partial-payment': 'placed',
  'pending-deposit': 'placed',
  'scheduled-payment': 'placed',
};

export interface StatusFacts {
  paid: boolean; // date_paid_gmt set
  completed: boolean; // date_completed_gmt set
}

/** Strips the "wc-" prefix some plugins leak from the post status. */
export function normalizeWooStatus(status: string): string {
  const s = status.trim().toLowerCase();
  return s.startsWith('wc-') ? s.slice(3) : s;
}

/** Unknown (custom) statuses fall back on what the order's dates prove: completed > paid > placed. */
export function canonicalStatus(wooStatus: string, facts: StatusFacts): OrderStatus {
  const known = WOO_STATUS_TABLE[normalizeWooStatus(wooStatus)];
  if (known) return known;
  if (facts.completed) return 'completed';
  if (facts.paid) return 'paid';
  return 'placed';
}

const FULFILLED = new Set(['completed', 'shipped', 'delivered']);
const PARTIAL = new Set(['partial-shipped', 'partially-shipped']);

/** Woo has no fulfilment field: completed (and shipping plugins' statuses) mean fulfilled; otherwise unknown. */
export function fulfillmentStatus(wooStatus: string): string | null {
  const s = normalizeWooStatus(wooStatus);
  if (FULFILLED.has(s)) return 'fulfilled';
  if (PARTIAL.has(s)) return 'partial';
  return null;
}

export interface FinancialFacts extends StatusFacts {
  total: number;
  refunded: number;
}

/**
 * Woo has no payment field either; derived from status, date_paid_gmt (set by set_paid / payment_complete)
 * and refunds: refunded | partially_refunded | failed | paid | voided | pending.
 */
export function financialStatus(wooStatus: string, f: FinancialFacts): string {
  const s = normalizeWooStatus(wooStatus);
  if (s === 'refunded' || (f.refunded > 0 && f.refunded >= f.total)) return 'refunded';
  if (f.refunded > 0) return 'partially_refunded';
  if (s === 'failed') return 'failed';
  if (f.paid || s === 'processing' || s === 'completed') return 'paid';
  if (s === 'cancelled') return 'voided';
  return 'pending';
}
