import {
  currencyExponent, formatMinor, toMajorNumber, type EventType, type Order,
} from '../../../src/core/canonical/index.ts';
import {
  addressLine, compact, contactOf, esputnikDate, esputnikItems, esputnikStatus, externalOrderId, fnv1a64,
  isCompletedCheckout, isUnwantedTestOrder, itemId, nonEmpty, TEST_ORDER_SKIP,
  type EsputnikMappingOptions,
} from './common.ts';
import type { EsputnikCartProduct, EsputnikEvent, EsputnikEventType, EsputnikParam } from './types.ts';

export interface EsputnikEventsOptions extends EsputnikMappingOptions {
  /**
   * v1/event cannot delete: 'cancel' sends orderCancelled for a deleted order (unless it was cancelled
   * before, which already sent one), 'ignore' sends nothing.
   */
  deletedOrders: 'cancel' | 'ignore';
  /** Also send `products` ({"array": [...]}), which eSputnik needs to show products in messages. */
  includeProducts: boolean;
}

/** Canonical lifecycle event → eSputnik event type (null = nothing to send). The README mirrors this table. */
export const EVENT_TABLE: Record<EventType, EsputnikEventType | null> = {
  'order.created': 'orderCreated',
  'order.updated': 'orderUpdated',
  'order.paid': 'orderUpdated',
  'order.fulfilled': 'orderUpdated',
  'order.delivered': 'orderDelivered',
  'order.cancelled': 'orderCancelled',
  'order.refunded': 'orderUpdated',
  'order.deleted': 'orderCancelled',
  'cart.updated': 'cartUpdated',
  'checkout.abandoned': 'cartUpdated',
  'customer.created': null,
};

export interface EventsInput {
  order: Order | null;
  events: readonly EventType[];
  origin: 'webhook' | 'resync' | 'replay';
  /**
   * The item began with the first version orderbridge saw of the order (DeliveryItem.firstSeen); unknown →
   * order.created stands for it. An order.created in an item that is not the first came late (stale): its
   * buyer came with the first.
   */
  firstSeen?: boolean;
}

export type EventsPlan =
  /**
   * `remaining[i]`: the item's canonical events still to apply when events[i] (and those after it) did not arrive.
   * `mayIntroduceContact`: the item may be the buyer's first appearance (the first version seen of its
   * order, or a cart): eSputnik ignores events of a contact it does not know yet, so the contact is imported first.
   */
  | { action: 'send'; events: EsputnikEvent[]; remaining: EventType[][]; mayIntroduceContact: boolean }
  | { action: 'skip'; reason: string }
  | { action: 'reject'; problem: string };

/** One delivery item → the v1/event requests to send, in order (one request per event). */
export function planEvents(input: EventsInput, options: EsputnikEventsOptions): EventsPlan {
  const { order } = input;
  if (!order) return { action: 'skip', reason: 'no order to send (customer-only change)' };
  if (isUnwantedTestOrder(order, options)) return { action: 'skip', reason: TEST_ORDER_SKIP };
  const steps = eventSteps(input, options);
  if (steps.length === 0) {
    if (cancelledBeforeDeletion(input, options)) {
      return { action: 'skip', reason: `the order was cancelled before; ${describe(input)} does not send orderCancelled again` };
    }
    return { action: 'skip', reason: `nothing to send for ${describe(input)}` };
  }
  const contact = contactOf(order, options);
  const keyValue = contact.email ?? contact.phone;
  if (!keyValue) {
    return { action: 'reject', problem: 'eSputnik events need a contact key (email or phone); the order has neither' };
  }
  return {
    action: 'send',
    events: steps.map((step) => buildEvent(step.type, order, keyValue, options)),
    remaining: steps.map((step) => input.events.slice(step.from)),
    // A completed checkout's buyer arrives with the order itself.
    mayIntroduceContact: order.status !== 'deleted' && !isCompletedCheckout(order)
      && ((input.firstSeen ?? input.events.includes('order.created')) || steps.some((step) => step.type === 'cartUpdated')),
  };
}

export function eventTypesFor(input: EventsInput, options: EsputnikEventsOptions): EsputnikEventType[] {
  return eventSteps(input, options).map((step) => step.type);
}

/** The event types to send, each with the index in `input.events` of the first canonical event it stands for. */
function eventSteps(input: EventsInput, options: EsputnikEventsOptions): Array<{ type: EsputnikEventType; from: number }> {
  const order = input.order;
  if (!order) return [];
  // A cart is never an order in eSputnik: every change to it is a cartUpdated.
  if (order.status === 'abandoned') return [{ type: 'cartUpdated', from: 0 }];
  if (order.status === 'deleted') {
    if (options.deletedOrders !== 'cancel' || cancelledBeforeDeletion(input, options)) return [];
    return [{ type: 'orderCancelled', from: 0 }];
  }
  // History carries no lifecycle: one orderUpdated creates or corrects the order without replaying triggers.
  if (input.origin === 'resync' || input.events.length === 0) return [{ type: 'orderUpdated', from: 0 }];
  const steps: Array<{ type: EsputnikEventType; from: number }> = [];
  input.events.forEach((event, from) => {
    const type = EVENT_TABLE[event];
    // Coalesced events all carry the newest order, so back-to-back duplicates would repeat the same request.
    if (type !== null && steps.at(-1)?.type !== type) steps.push({ type, from });
  });
  return steps;
}

/**
 * A deletion keeps the order as it last was (src/core/pipeline/syncWriter.ts): `cancelledAt` set means it was
 * cancelled before, and that cancellation already sent its orderCancelled; a second one would fire the
 * cancellation workflow again. Only when the cancellation is still owed in this very item (not delivered
 * yet: order.cancelled among its events) does the deletion send it, once.
 */
function cancelledBeforeDeletion(input: EventsInput, options: EsputnikEventsOptions): boolean {
  return input.order?.status === 'deleted' && options.deletedOrders === 'cancel'
    && input.order.cancelledAt !== null && !input.events.includes('order.cancelled');
}

function buildEvent(type: EsputnikEventType, order: Order, keyValue: string, options: EsputnikEventsOptions): EsputnikEvent {
  const params = type === 'cartUpdated' ? cartParams(order, options) : orderParams(order, options);
  return { eventTypeKey: type, keyValue, params };
}

function orderParams(order: Order, options: EsputnikEventsOptions): EsputnikParam[] {
  const exp = currencyExponent(order.currency);
  const contact = contactOf(order, options);
  const items = esputnikItems(order, options);
  return params({
    email: contact.email,
    phone: contact.phone,
    externalOrderId: externalOrderId(order, options),
    externalCustomerId: contact.externalCustomerId,
    orderNumber: nonEmpty(order.source.orderNumber),
    totalCost: formatMinor(order.totals.total, exp),
    status: esputnikStatus(order.status, options),
    date: esputnikDate(order.createdAt),
    currency: order.currency,
    firstName: contact.firstName,
    lastName: contact.lastName,
    shipping: formatMinor(order.totals.shipping, exp),
    discount: formatMinor(order.totals.discount, exp),
    taxes: formatMinor(order.totals.tax, exp),
    deliveryMethod: nonEmpty(order.shipping.method),
    paymentMethod: nonEmpty(order.paymentMethod),
    deliveryAddress: addressLine(order.shippingAddress ?? order.billingAddress),
    source: order.source.platform,
    items: items.length > 0 ? JSON.stringify(items) : undefined,
    products: options.includeProducts && items.length > 0 ? JSON.stringify({ array: items }) : undefined,
  });
}

function cartParams(order: Order, options: EsputnikEventsOptions): EsputnikParam[] {
  const exp = currencyExponent(order.currency);
  const contact = contactOf(order, options);
  const products: EsputnikCartProduct[] = order.lineItems.map((line) => compact({
    productId: itemId(line),
    quantity: line.quantity,
    price: toMajorNumber(line.unitPrice, exp),
    name: line.name,
    category: nonEmpty(line.category),
    // "Discount amount per item", beside "Price per item": the line's discount shared by its units.
    discount: line.discount !== 0 && line.quantity > 0 ? formatMinor(Math.round(line.discount / line.quantity), exp) : undefined,
  }));
  // A completed checkout leaves the cart empty (the purchase emptied it), which ends eSputnik's abandoned-cart flows.
  const inCart = isCompletedCheckout(order) ? [] : products;
  return params({
    email: contact.email,
    phone: contact.phone,
    // "required if the cart isn't empty"
    products: inCart.length > 0 ? JSON.stringify(inCart) : undefined,
    currencyCode: order.currency,
    recycleStateId: recycleStateId(order),
  });
}

/** Stable per cart, Latin letters and digits as the document asks: the checkout id, else a hash of the key. */
export function recycleStateId(order: Order): string {
  const id = order.source.orderId;
  return /^[A-Za-z0-9-]{1,100}$/.test(id) ? id : fnv1a64(order.key);
}

function params(values: Record<string, string | undefined>): EsputnikParam[] {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ({ name, value }));
}

function describe(input: EventsInput): string {
  return input.events.length > 0 ? input.events.join(', ') : 'this change';
}
