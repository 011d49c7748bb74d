import type { EventType, Order } from '../../../src/core/canonical/index.ts';
import { ES_LIMITS, findLimitViolations, type LimitViolation } from './limits.ts';
import type { ExpertSenderMappingOptions } from './options.ts';
import { esOrderId, toExpertSenderOrder } from './order.ts';
import { isStatusOnlyChange } from './status.ts';
import type { EsCustomer, EsOrder, EsStatusBody } from './types.ts';

/** What one outbox item needs from ExpertSender. */
export type ExpertSenderPlan =
  | { kind: 'upsert'; order: EsOrder }
  /** PUT /orders/status; `fallback` is the full AddOrReplace to send if the store refuses the shortcut. */
  | { kind: 'status'; body: EsStatusBody; fallback: UpsertOrInvalid }
  | { kind: 'delete'; orderId: string }
  /** Nothing to send (not an order ECDP keeps); delivered as a no-op. */
  | { kind: 'skip'; reason: string }
  /** Would be refused by the documented rules; rejected without a call. */
  | { kind: 'invalid'; reason: string };

export type UpsertOrInvalid = Extract<ExpertSenderPlan, { kind: 'upsert' | 'invalid' }>;

/** The parts of a delivery item the plan depends on (a DeliveryItem fits). */
export interface PlanInput {
  order: Order | null;
  events: readonly EventType[];
  origin: 'webhook' | 'resync' | 'replay';
}

const MATCH_FIELD = { Email: 'email', Phone: 'phone', CrmId: 'crmId' } as const satisfies Record<string, keyof EsCustomer>;

function customerViolations(customer: EsCustomer, options: ExpertSenderMappingOptions): LimitViolation[] {
  if (options.matchBy) {
    const field = MATCH_FIELD[options.matchBy];
    return customer[field]
      ? []
      : [{ field: `customer.${field}`, message: `customer.${field} is missing, and orders are matched by ${options.matchBy}` }];
  }
  return customer.email || customer.phone || customer.crmId
    ? []
    : [{ field: 'customer', message: 'customer has no email, phone or crmId, so ExpertSender cannot match the order to anyone' }];
}

function describe(violations: LimitViolation[]): string {
  return `not sent to ExpertSender: ${violations.map((v) => v.message).join('; ')}`;
}

/** The full AddOrReplace of an order, or why it cannot be sent. */
export function planUpsert(order: Order, options: ExpertSenderMappingOptions): UpsertOrInvalid {
  const es = toExpertSenderOrder(order, options);
  const violations = [...findLimitViolations(es), ...customerViolations(es.customer, options)];
  return violations.length > 0 ? { kind: 'invalid', reason: describe(violations) } : { kind: 'upsert', order: es };
}

/**
 * Decides the call for one item:
 * - deleted (status or event) → DELETE /orders/{id};
 * - abandoned checkouts and customer-only items → skip;
 * - a live change whose events are only status changes (paid / delivered) → PUT /orders/status,
 *   with the full order as fallback, when statusUpdates = 'put';
 * - anything else → POST /orders AddOrReplace with the whole order.
 */
export function planExpertSenderDelivery(input: PlanInput, options: ExpertSenderMappingOptions): ExpertSenderPlan {
  const { order } = input;
  if (!order) return { kind: 'skip', reason: 'no order in this item (customer-only items are not sent to ExpertSender orders)' };
  const orderId = esOrderId(order, options);
  if (orderId.length > ES_LIMITS.orderId) {
    return { kind: 'invalid', reason: describe([{ field: 'id', message: `id is ${orderId.length} characters; ExpertSender allows at most ${ES_LIMITS.orderId}` }]) };
  }
  if (order.status === 'deleted' || input.events.includes('order.deleted')) return { kind: 'delete', orderId };
  if (order.status === 'abandoned') return { kind: 'skip', reason: 'abandoned checkout: not an order in ExpertSender' };
  const full = planUpsert(order, options);
  if (options.statusUpdates === 'put' && isStatusOnlyChange(input.events, input.origin)) {
    const status = toExpertSenderOrder(order, options).status;
    const body: EsStatusBody = { orderId, orderStatus: status };
    if (options.websiteId !== undefined) body.websiteId = options.websiteId;
    return { kind: 'status', body, fallback: full };
  }
  return full;
}
