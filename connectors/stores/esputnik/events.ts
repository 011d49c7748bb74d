// eSputnik v1/event: the order lifecycle as events, with a contact import through v1/orders where one is needed.
import { z } from 'zod';
import { isCompletedCheckout, planEvents, type EsputnikEvent, type EventsPlan } from '../../../mappings/stores/esputnik/index.ts';
import type { EventType } from '../../../src/core/canonical/index.ts';
import type { DeliveryItem, DeliveryOutcome, DestinationContext } from '../../../src/core/delivery/destination.ts';
import type { RequestBudget } from '../../../src/core/delivery/storeHttp.ts';
import type { EsputnikClient } from './client.ts';
import { deleteOrder, upsertOrders, type Upsert } from './orders.ts';
import { failureOf, type Failure } from './outcome.ts';
import { prepareEsputnikOrder } from './prepare.ts';
import { settingsObject } from '../../../src/core/delivery/storeSettings.ts';
import {
  clientFor, ESPUTNIK_ORDERS_KIND, ESPUTNIK_ORDERS_PER_SECOND, keyRateGroup, sharedSettings, type EsputnikOrdersSettings,
} from './settings.ts';

export const esputnikEventsSettings = settingsObject({
  ...sharedSettings,
  /**
   * v1/event cannot delete an order: 'cancel' sends orderCancelled (not when the order was cancelled
   * before: that sent one already), 'ignore' sends nothing.
   */
  deletedOrders: z.enum(['cancel', 'ignore']).default('cancel'),
  /** Also send `products`, which eSputnik needs to show the order's products in messages. */
  includeProducts: z.boolean().default(true),
  /**
   * eSputnik ignores events of a contact it does not know ("first import this contact … via v1/contacts;
   * v1/orders"): before the first event of an item that may bring a new buyer, the order goes to v1/orders
   * (as an esputnik-orders store would send it), which creates the contact. false = the account imports
   * contacts some other way.
   */
  importContacts: z.boolean().default(true),
});
export type EsputnikEventsSettings = z.infer<typeof esputnikEventsSettings>;

/** What the contact import did for one item (none when it needed none). */
type ContactImport =
  /** v1/orders took the order, so its contact exists; `earlier`: a previous attempt did (item.owed). */
  | { kind: 'imported'; externalOrderId: string; earlier: boolean }
  /** eSputnik refused the order: its events still go, but are ignored if the contact is new. */
  | { kind: 'refused'; error: string }
  /** No verdict (no answer, 5xx, 429, 401/403): the item is retried, no event sent yet. */
  | { kind: 'retry'; failure: Failure };

/** What a retry hands back (item.owed), so an import that succeeded is not sent (and its order event fired) again. */
interface OwedImport {
  contactImported: string;
}

/** eSputnik v1/event: each lifecycle step becomes one event request, in order, per order. */
export async function deliverEsputnikEvents(items: DeliveryItem[], ctx: DestinationContext<EsputnikEventsSettings>): Promise<DeliveryOutcome[]> {
  const client = clientFor(ctx);
  const orders = ordersClientFor(ctx);
  const plans = items.map((item) => planEvents({ order: item.order, events: item.events, origin: item.origin, firstSeen: item.firstSeen }, ctx.settings));
  // One v1/orders request for every item of the batch that needs it; the others do not wait for it.
  const imports = importContacts(orders, items, plans, ctx);
  // Items are different orders (the engine keeps one order's rows in sequence), so they may run side by side.
  return Promise.all(items.map(async (item, i): Promise<DeliveryOutcome> => {
    const plan = plans[i]!;
    if (plan.action === 'skip') return { outcome: 'delivered', detail: `skipped: ${plan.reason}` };
    if (plan.action === 'reject') return { outcome: 'rejected', error: plan.problem };
    const contact = plan.mayIntroduceContact ? (await imports)[i] : undefined;
    if (contact?.kind === 'retry') return { ...contact.failure, error: `contact import (v1/orders): ${contact.failure.error}` };
    const retired = await retireImportedCart(orders, item, ctx);
    if (retired?.outcome === 'retry') return { ...retired, error: `cart record (v1/orders): ${retired.error}` };
    const outcome = await sendInOrder(client, plan.events, plan.remaining, ctx.now);
    return withImport(outcome, contact);
  }));
}

/** A client for this destination's v1/orders requests, paced in the budget esputnik-orders has on the key. */
function ordersClientFor(ctx: DestinationContext<EsputnikEventsSettings>): EsputnikClient {
  const budget: RequestBudget = { kind: ESPUTNIK_ORDERS_KIND, group: keyRateGroup(ctx.settings, ctx.secret), perSecond: ESPUTNIK_ORDERS_PER_SECOND };
  return clientFor({ ...ctx, fetch: (url, init) => ctx.fetch(url, { ...init, budget }) });
}

/**
 * Imports the contacts of the items that may bring a new buyer through `POST /v1/orders`, mapped and prepared
 * exactly as the esputnik-orders store does (a cart is an ABANDONED_SHOPPING_CART order). One entry per item.
 */
async function importContacts(
  client: EsputnikClient, items: DeliveryItem[], plans: EventsPlan[], ctx: DestinationContext<EsputnikEventsSettings>,
): Promise<Array<ContactImport | undefined>> {
  const found: Array<ContactImport | undefined> = new Array(items.length);
  if (!ctx.settings.importContacts) return found;
  const orderSettings = asOrdersSettings(ctx.settings);
  const upserts: Upsert[] = [];
  items.forEach((item, index) => {
    const plan = plans[index]!;
    if (plan.action !== 'send' || !plan.mayIntroduceContact) return;
    const prepared = prepareEsputnikOrder(item, orderSettings);
    if (prepared.action !== 'upsert') return;
    if (owedImport(item.owed) === prepared.externalOrderId) {
      found[index] = { kind: 'imported', externalOrderId: prepared.externalOrderId, earlier: true };
    } else {
      upserts.push({ index, order: prepared });
    }
  });
  if (upserts.length === 0) return found;
  const outcomes = await upsertOrders(client, upserts, ctx.now);
  upserts.forEach((u, i) => {
    const o = outcomes[i]!;
    found[u.index] = o.outcome === 'delivered' ? { kind: 'imported', externalOrderId: u.order.externalOrderId, earlier: false }
      : o.outcome === 'retry' ? { kind: 'retry', failure: o }
        : { kind: 'refused', error: o.error };
  });
  return found;
}

/**
 * A completed checkout: the ABANDONED_SHOPPING_CART order its import made goes, as the esputnik-orders store
 * deletes it (a 404 is fine: it was never imported); the empty cartUpdated that follows ends the flow.
 */
async function retireImportedCart(client: EsputnikClient, item: DeliveryItem, ctx: DestinationContext<EsputnikEventsSettings>): Promise<DeliveryOutcome | null> {
  if (!ctx.settings.importContacts || !item.order || !isCompletedCheckout(item.order)) return null;
  const prepared = prepareEsputnikOrder(item, asOrdersSettings(ctx.settings));
  return prepared.action === 'delete' ? deleteOrder(client, prepared.externalOrderId, ctx.now) : null;
}

/** The events settings as the esputnik-orders store would read them (its own default for what they lack). */
function asOrdersSettings(settings: EsputnikEventsSettings): EsputnikOrdersSettings {
  return { ...settings, sendItems: true };
}

function owedImport(owed: unknown): string | null {
  const id = owed && typeof owed === 'object' ? (owed as Partial<OwedImport>).contactImported : undefined;
  return typeof id === 'string' ? id : null;
}

/** The events' outcome, told what the contact import did. */
function withImport(outcome: DeliveryOutcome, contact: ContactImport | undefined): DeliveryOutcome {
  if (!contact || contact.kind === 'retry') return outcome;
  if (contact.kind === 'imported') {
    if (outcome.outcome === 'retry') return { ...outcome, owed: { contactImported: contact.externalOrderId } satisfies OwedImport };
    if (outcome.outcome === 'rejected') return outcome;
    return { ...outcome, detail: `${outcome.detail} (contact imported via v1/orders${contact.earlier ? ' on an earlier attempt' : ''})` };
  }
  const note = `contact import failed, eSputnik ignores these events if the contact is new: ${contact.error}`;
  return outcome.outcome === 'delivered'
    ? { ...outcome, detail: `${outcome.detail} (${note})` }
    : { ...outcome, error: `${outcome.error} (${note})` };
}

/**
 * Sends an order's events one after another; the first failure decides the item. A retry names the
 * events still to apply, so the events eSputnik already took (and their automations) are not sent again.
 */
async function sendInOrder(client: EsputnikClient, events: EsputnikEvent[], remaining: EventType[][], now: () => number): Promise<DeliveryOutcome> {
  for (const [i, event] of events.entries()) {
    const failure = failureOf(await client.sendEvent(event), now());
    if (failure) {
      const step = `${event.eventTypeKey} (${i + 1} of ${events.length})`;
      if (failure.outcome !== 'retry') return { outcome: 'rejected', error: `${step}: ${failure.error}` };
      return { ...failure, error: `${step}: ${failure.error}`, ...(i > 0 ? { remainingEvents: remaining[i]! } : {}) };
    }
  }
  return { outcome: 'delivered', detail: events.map((e) => e.eventTypeKey).join(', ') };
}
