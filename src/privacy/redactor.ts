import { and, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { Order } from '../canonical/index.ts';
import { phoneDigits, redactCustomerFromOrder, redactOrderPersonalData } from '../canonical/redact.ts';
import type { CustomerIdentity } from '../pipeline/change.ts';
import type { Db } from '../state/database.ts';
import { deadLetters, destinations, localEvents, localOrders, orders, outbox, quarantine, receipts } from '../state/schema.ts';

/** A customer's orders by each part of their identity; each look-up has its own partial index (never a scan of all orders). */
export const CUSTOMER_LOOKUPS = {
  id: 'SELECT key FROM orders WHERE shop_id = ? AND customer_id = ?',
  email: 'SELECT key FROM orders WHERE shop_id = ? AND customer_email = ?',
  phone: 'SELECT key FROM orders WHERE shop_id = ? AND customer_phone = ?',
} as const;

/** An order's rows waiting for a store, and its dead letters: each by an index too. */
export const ORDER_COPIES = {
  queued: 'SELECT id, "order" FROM outbox WHERE destination_id = ? AND order_key = ?',
  letters: 'SELECT id, "order" FROM dead_letters WHERE order_key = ?',
} as const;

interface OrderCopy { id: number; order: string | null }

/** Privacy requests (Shopify customers/redact, shop/redact): personal data leaves every table. */
export class Redactor {
  private readonly lookups;

  constructor(private readonly db: Db) {
    const raw = db.$client;
    this.lookups = {
      id: raw.prepare(CUSTOMER_LOOKUPS.id).pluck(),
      email: raw.prepare(CUSTOMER_LOOKUPS.email).pluck(),
      phone: raw.prepare(CUSTOMER_LOOKUPS.phone).pluck(),
      queued: raw.prepare(ORDER_COPIES.queued),
      letters: raw.prepare(ORDER_COPIES.letters),
    };
  }

  /** Orders stored for this person: same customer id, email, or phone digits (guests too). */
  private ordersOf(shopId: string, who: CustomerIdentity): string[] {
    const email = who.email?.trim().toLowerCase() || null;
    const phone = phoneDigits(who.phone);
    return [
      ...(who.id ? this.lookups.id.all(shopId, who.id) : []),
      ...(email ? this.lookups.email.all(shopId, email) : []),
      ...(phone ? this.lookups.phone.all(shopId, phone) : []),
    ] as string[];
  }

  redactCustomer(shopId: string, who: CustomerIdentity, orderKeys: string[]): void {
    const email = who.email?.toLowerCase() ?? null;
    const keys = [...new Set([...orderKeys, ...this.ordersOf(shopId, who)])];
    const destinationIds = this.destinationsOf(shopId);
    const named = new Set(orderKeys);
    for (const key of keys) {
      // Orders Shopify names are redacted whoever they belong to now; the others only if they are this customer's.
      const scrub = (json: string | null): string | null => {
        if (json === null) return null;
        const order = JSON.parse(json) as Order;
        const redacted = named.has(key) ? redactOrderPersonalData(order) : redactCustomerFromOrder(order, who);
        return redacted ? JSON.stringify(redacted) : json;
      };
      const o = this.db.select({ canonical: orders.canonical }).from(orders).where(eq(orders.key, key)).get();
      const scrubbed = o && scrub(o.canonical)!;
      // An order a look-up found that is someone else's by now keeps its identity columns.
      if (o && scrubbed !== o.canonical) {
        this.db.update(orders).set({ canonical: scrubbed!, customerEmail: null, customerId: null, customerPhone: null })
          .where(eq(orders.key, key)).run();
      }
      const l = this.db.select({ canonical: localOrders.canonical }).from(localOrders).where(eq(localOrders.key, key)).get();
      if (l) this.db.update(localOrders).set({ canonical: scrub(l.canonical)! }).where(eq(localOrders.key, key)).run();
      // Per destination: the outbox index leads with it (a backlog in an outage can be large).
      for (const destinationId of destinationIds) {
        for (const row of this.lookups.queued.all(destinationId, key) as OrderCopy[]) {
          this.db.update(outbox).set({ order: scrub(row.order), customer: null }).where(eq(outbox.id, row.id)).run();
        }
      }
      for (const row of this.lookups.letters.all(key) as OrderCopy[]) {
        this.db.update(deadLetters).set({ order: scrub(row.order), customer: null }).where(eq(deadLetters.id, row.id)).run();
      }
      this.db.update(localEvents).set({ payload: null }).where(eq(localEvents.orderKey, key)).run();
    }
    // Raw payloads kept for operators cannot be edited field by field: their body goes.
    const needles = [email, who.phone, who.id].filter((n): n is string => !!n);
    if (needles.length > 0) {
      this.db.update(quarantine).set({ body: '{"redacted":true}' })
        .where(and(eq(quarantine.shopId, shopId), or(...needles.map((n) => like(sql`lower(${quarantine.body})`, `%${n.toLowerCase()}%`))))).run();
    }
  }

  private destinationsOf(shopId: string): string[] {
    return this.db.select({ id: destinations.id }).from(destinations).where(eq(destinations.shopId, shopId)).all().map((d) => d.id);
  }

  /** shop/redact (48 h after uninstall): everything held for the shop goes. */
  redactShop(shopId: string): void {
    const prefix = `${shopId}:%`;
    const destinationIds = this.destinationsOf(shopId);
    this.db.delete(orders).where(eq(orders.shopId, shopId)).run();
    this.db.delete(localOrders).where(eq(localOrders.shopId, shopId)).run();
    this.db.delete(localEvents).where(like(localEvents.orderKey, prefix)).run();
    if (destinationIds.length > 0) {
      this.db.delete(outbox).where(inArray(outbox.destinationId, destinationIds)).run();
      this.db.delete(deadLetters).where(inArray(deadLetters.destinationId, destinationIds)).run();
    }
    this.db.delete(quarantine).where(eq(quarantine.shopId, shopId)).run();
    this.db.delete(receipts).where(and(eq(receipts.shopId, shopId), sql`${receipts.topic} <> 'shop/redact'`)).run();
  }
}
