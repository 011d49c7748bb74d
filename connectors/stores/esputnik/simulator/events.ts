// v1/event as seed 003 describes it. Malformed requests get 400; events eSputnik cannot use are
// accepted (200) and silently ignored, as the document says ("the event is ignored").
import { ESPUTNIK_ORDER_STATUSES } from '../../../../mappings/stores/esputnik/index.ts';
import { DATE_PATTERN, type SimAnswer } from './orders.ts';
import type { EsputnikSimState, SimEvent, SimParam } from './state.ts';

/** Param names searched for the contact, case-insensitively (seed 003). */
export const CONTACT_PARAMS = [
  'contactid', 'contact_id', 'email', 'emailaddress', 'useremail', 'contactemail', 'phone', 'sms', 'phonenumber',
  'pushtoken', 'contactkey', 'contact_key',
];

const ORDER_REQUIRED = ['externalOrderId', 'totalCost', 'status', 'date'];

export interface EventRules {
  /** "You can send v1/event only for the existing contact." */
  requireKnownContact: boolean;
}

/** `POST /v1/event` on a parsed JSON body. */
export function postEvent(state: EsputnikSimState, body: unknown, rules: EventRules): SimAnswer {
  const problem = malformed(body);
  if (problem) return { status: 400, body: { message: problem } };
  const b = body as { eventTypeKey: string; keyValue: string; params?: SimParam[] };
  const params = b.params ?? [];
  const reason = contactProblem(state, params, rules) ?? apply(state, b.eventTypeKey, params);
  const event: SimEvent = { eventTypeKey: b.eventTypeKey, keyValue: b.keyValue, params, result: reason ? 'ignored' : 'applied' };
  if (reason) event.reason = reason;
  state.events.push(event);
  return { status: 200, body: null };
}

function malformed(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.eventTypeKey !== 'string' || b.eventTypeKey.trim() === '') return 'eventTypeKey is required';
  if (b.eventTypeKey.length > 100) return 'eventTypeKey is longer than 100 characters';
  if (typeof b.keyValue !== 'string' || b.keyValue.trim() === '') return 'keyValue is required';
  if (b.params === undefined) return null;
  if (!Array.isArray(b.params)) return 'params must be an array of {name, value}';
  for (const [i, p] of b.params.entries()) {
    if (!p || typeof p !== 'object') return `params[${i}] must be an object`;
    const { name, value } = p as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') return `params[${i}].name is required`;
    if (typeof value !== 'string') return `params[${i}].value must be a string`;
  }
  return null;
}

function contactProblem(state: EsputnikSimState, params: SimParam[], rules: EventRules): string | null {
  const ids = params.filter((p) => CONTACT_PARAMS.includes(p.name.toLowerCase()) && p.value !== '');
  if (ids.length === 0) return 'no contact identifier among the params';
  if (rules.requireKnownContact && !ids.some((p) => state.hasContact(p.value))) return 'contact not found';
  return null;
}

/** Applies an event to state; returns why it was ignored, or null. */
function apply(state: EsputnikSimState, type: string, params: SimParam[]): string | null {
  const p = Object.fromEntries(params.map((x) => [x.name, x.value]));
  switch (type) {
    case 'orderCreated': return upsertOrder(state, type, p, true);
    case 'orderUpdated': return upsertOrder(state, type, p, false);
    case 'orderDelivered': return setStatus(state, type, p, 'DELIVERED');
    case 'orderCancelled': return setStatus(state, type, p, 'CANCELLED');
    case 'cartUpdated': return updateCart(state, p, params);
    default: return null; // pageViewed and custom events: recorded only
  }
}

function upsertOrder(state: EsputnikSimState, type: string, p: Record<string, string>, create: boolean): string | null {
  const id = p.externalOrderId;
  const existing = id ? state.eventOrders.get(id) : undefined;
  // orderUpdated on an unknown order creates it, so the orderCreated requirements apply.
  if (create || !existing) {
    const missing = ORDER_REQUIRED.filter((k) => !p[k]);
    if (missing.length > 0) return `missing required parameter ${missing.join(', ')}`;
  }
  if (p.totalCost !== undefined && !/^-?\d+(\.\d+)?$/.test(p.totalCost)) return 'totalCost is not a number';
  if (p.status !== undefined && !ESPUTNIK_ORDER_STATUSES.includes(p.status as never)) return `unknown status ${p.status}`;
  if (p.date !== undefined && !DATE_PATTERN.test(p.date)) return 'date is not in yyyy-MM-ddTHH:mm:ss format';
  const items = p.items === undefined ? undefined : parseArray(p.items);
  if (items === null) return 'items is not a JSON array';
  const base = create ? undefined : existing;
  state.eventOrders.set(id!, {
    externalOrderId: id!,
    status: p.status ?? base!.status,
    params: { ...base?.params, ...p },
    items: items ?? base?.items ?? null,
    history: [...(existing?.history ?? []), type],
  });
  return null;
}

function setStatus(state: EsputnikSimState, type: string, p: Record<string, string>, status: string): string | null {
  const order = p.externalOrderId ? state.eventOrders.get(p.externalOrderId) : undefined;
  if (!order) return 'order not found'; // "If the order does not exist, it is ignored."
  order.status = status;
  order.params.status = status;
  order.history.push(type);
  return null;
}

function updateCart(state: EsputnikSimState, p: Record<string, string>, params: SimParam[]): string | null {
  if (!p.recycleStateId) return 'missing required parameter recycleStateId';
  const products = p.products === undefined ? [] : parseArray(p.products);
  if (products === null) return 'products is not a JSON array';
  const contact = params.find((x) => CONTACT_PARAMS.includes(x.name.toLowerCase()))!.value;
  const prior = state.carts.get(p.recycleStateId);
  state.carts.set(p.recycleStateId, {
    recycleStateId: p.recycleStateId, products, currencyCode: p.currencyCode ?? null, contact, updates: (prior?.updates ?? 0) + 1,
  });
  return null;
}

function parseArray(text: string): unknown[] | null {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
