// What one delivery item becomes in Voyado: which endpoint, which body, which order actions. Pure.
import type { EventType, Order } from '../../../src/core/canonical/index.ts';
import {
  externalStatus, mapOrderToVoyado, voyadoDelivery, voyadoOrderId, voyadoStatus, type VoyadoOrderOptions,
} from './order.ts';
import { VOYADO_LIMITS, type VoyadoActionName, type VoyadoChangeDelivery, type VoyadoChangeStatus, type VoyadoEmbeddedAction, type VoyadoOrder } from './types.ts';

/** Lifecycle steps that can trigger an order action ("completed" = fulfilled or delivered while the order is completed). */
export const LIFECYCLE_STEPS = ['created', 'fulfilled', 'delivered', 'cancelled', 'completed'] as const;
export type LifecycleStep = (typeof LIFECYCLE_STEPS)[number];

/** Which action each step sends; null switches the step off. */
export type VoyadoActionRules = Record<LifecycleStep, VoyadoActionName | null>;

export const DEFAULT_VOYADO_ACTION_RULES: VoyadoActionRules = {
  created: 'ConfirmOrder',
  fulfilled: 'ConfirmShipment',
  delivered: 'ConfirmDelivery',
  cancelled: 'ConfirmCancellation',
  completed: 'ConfirmCompletion',
};

export interface VoyadoPlanOptions extends VoyadoOrderOptions {
  /** Master switch for order actions. */
  actionsEnabled: boolean;
  actions: VoyadoActionRules;
  /** Language tag for actions; null = the customer's locale. */
  language: string | null;
  /** Shopify/WooCommerce test orders would reach real customers' automations. */
  sendTestOrders: boolean;
}

export interface VoyadoPlanInput {
  order: Order;
  /** Lifecycle events since the last delivery, oldest first. */
  events: readonly EventType[];
  origin: 'webhook' | 'resync' | 'replay';
}

/**
 * - write/create: POST /orders (409 → PUT); write/replace: PUT /orders/{id} (404 → POST).
 * - change: only lifecycle moved (no content change reported): change-delivery then change-status; 404 → POST `fallback`.
 * The first action rides embedded in the last request; `laterActions` go through /action once the write completed.
 */
export type VoyadoPlan =
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string }
  | { kind: 'delete'; orderId: string }
  | { kind: 'write'; mode: 'create' | 'replace'; orderId: string; order: VoyadoOrder; laterActions: VoyadoEmbeddedAction[] }
  | {
    kind: 'change';
    orderId: string;
    delivery: VoyadoChangeDelivery | null;
    status: VoyadoChangeStatus;
    fallback: VoyadoOrder;
    laterActions: VoyadoEmbeddedAction[];
  };

const STATUS_ONLY_EVENTS: ReadonlySet<EventType> = new Set(['order.fulfilled', 'order.delivered', 'order.cancelled']);

export function planVoyadoDelivery(input: VoyadoPlanInput, opts: VoyadoPlanOptions): VoyadoPlan {
  const { order, events, origin } = input;
  const orderId = voyadoOrderId(order, opts);
  if (events.includes('order.deleted') || order.status === 'deleted') return { kind: 'delete', orderId };
  if (order.status === 'abandoned') return { kind: 'skip', reason: 'an abandoned checkout is not a Voyado order' };
  if (order.test && !opts.sendTestOrders) return { kind: 'skip', reason: 'test order (sendTestOrders is off)' };

  const mapped = mapOrderToVoyado(order, opts);
  if (!mapped.ok) return { kind: 'reject', reason: mapped.reason };
  const [first, ...laterActions] = origin === 'webhook' && opts.actionsEnabled ? orderActions(input, opts) : [];

  const statusOnly = origin !== 'resync' && events.length > 0 && events.every((e) => STATUS_ONLY_EVENTS.has(e));
  if (statusOnly) {
    const status = voyadoStatus(order, opts)!; // mapped.ok implies a mappable status
    const statusChange: VoyadoChangeStatus = { status, externalStatus: externalStatus(order), lastChangedAt: order.updatedAt };
    const deliveryInfo = events.some((e) => e === 'order.fulfilled' || e === 'order.delivered') ? voyadoDelivery(order) : null;
    const delivery: VoyadoChangeDelivery | null = deliveryInfo ? { ...deliveryInfo, lastChangedAt: order.updatedAt } : null;
    if (first) statusChange.orderAction = first;
    const fallback = first ? { ...mapped.order, orderAction: first } : mapped.order;
    return { kind: 'change', orderId, delivery, status: statusChange, fallback, laterActions };
  }

  const body = first ? { ...mapped.order, orderAction: first } : mapped.order;
  // Only a reported creation is likely new to Voyado; history (resync) is mostly new too.
  const mode = events.includes('order.created') || origin === 'resync' ? 'create' : 'replace';
  return { kind: 'write', mode, orderId, order: body, laterActions };
}

/** The lifecycle steps the events report, oldest first, without repeats. */
export function lifecycleSteps(order: Order, events: readonly EventType[]): LifecycleStep[] {
  const steps: LifecycleStep[] = [];
  const add = (s: LifecycleStep) => { if (!steps.includes(s)) steps.push(s); };
  for (const e of events) {
    if (e === 'order.created') add('created');
    else if (e === 'order.fulfilled') add('fulfilled');
    else if (e === 'order.delivered') add('delivered');
    else if (e === 'order.cancelled') add('cancelled');
  }
  if (order.status === 'completed' && (steps.includes('fulfilled') || steps.includes('delivered'))) add('completed');
  return steps;
}

/** One action per enabled step, each with the personalisation data an automation needs. */
export function orderActions(input: VoyadoPlanInput, opts: VoyadoPlanOptions): VoyadoEmbeddedAction[] {
  const { order } = input;
  const language = actionLanguage(order, opts.language);
  const delivery = voyadoDelivery(order);
  const actions: VoyadoEmbeddedAction[] = [];
  for (const step of lifecycleSteps(order, input.events)) {
    const action = opts.actions[step];
    if (!action || actions.some((a) => a.action === action)) continue;
    const data: Record<string, string> = { step, orderId: voyadoOrderId(order, opts) };
    if (order.source.orderNumber) data.orderNumber = order.source.orderNumber;
    if (delivery?.trackingNumber) data.trackingNumber = delivery.trackingNumber;
    if (delivery?.trackingUri) data.trackingUri = delivery.trackingUri;
    if (step === 'cancelled' && order.cancelReason) data.cancelReason = order.cancelReason;
    actions.push({ action, ...(language ? { language } : {}), data });
  }
  return actions;
}

/** "en_US" (WooCommerce) → "en-US"; BCP 47 tags pass through. */
export function actionLanguage(order: Order, configured: string | null): string | null {
  const raw = configured ?? order.customer?.locale ?? null;
  if (!raw) return null;
  const tag = raw.trim().replace(/_/g, '-');
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) && tag.length <= VOYADO_LIMITS.language ? tag : null;
}
