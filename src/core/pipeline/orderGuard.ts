import type { EventType, Order } from '../canonical/index.ts';

export interface StoredVersion {
  sourceUpdatedAt: number;
  version: number;
  status: string;
}

/** The platform's own modification time of a version, in ms: what the guard compares. */
export function sourceTime(order: Order): number {
  return Date.parse(order.updatedAt);
}

/**
 * Platforms deliver out of order: a version older than the stored one never overwrites it.
 * Equal times are accepted (orders/paid and orders/updated for one change carry the same state).
 * A deleted order is only brought back by a strictly newer version (WooCommerce order.restored).
 */
export function isStale(incomingTime: number, stored: StoredVersion | undefined): boolean {
  if (!stored) return false;
  if (stored.status === 'deleted') return incomingTime <= stored.sourceUpdatedAt;
  return incomingTime < stored.sourceUpdatedAt;
}

/** Milestones a version stands for that no newer version repeats: a stale version's are still owed to the stores. */
const MILESTONES: ReadonlySet<EventType> = new Set<EventType>([
  'order.created', 'order.paid', 'order.fulfilled', 'order.delivered', 'order.cancelled', 'order.refunded',
]);

/**
 * A stale version loses to the stored one, but what happened in it did happen: orders/create arriving after
 * a later orders/updated still means the order was created. Its milestones ride on the newest version;
 * order.updated and cart events say nothing the newer version does not.
 */
export function lateMilestones(events: readonly EventType[]): EventType[] {
  return events.filter((e) => MILESTONES.has(e));
}
