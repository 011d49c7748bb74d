import { and, eq, like, or, sql } from 'drizzle-orm';
import type { Order } from '../canonical/index.ts';
import { normalEmail, phoneDigits, redactCustomerFromOrder, redactOrderPersonalData } from '../canonical/redact.ts';
import type { CustomerIdentity } from '../pipeline/change.ts';
import type { Db } from '../state/sqlPort.ts';
import { packOrder, unpackOrder } from '../state/packedOrder.ts';
import type { ShopRegistry } from '../shops/registry.ts';
import { deadLetters, localEvents, localOrders, orders, outbox, quarantine, receipts } from '../state/schema.ts';

/**
 * A customer's orders through one index (never a scan of all orders), keyed by the most specific
 * identity an order holds: its customer id, else email, else phone digits. Each part of the request's
 * identity is looked up; what is found is only a candidate until the order itself matches.
 */
export const CUSTOMER_LOOKUP = 'SELECT key FROM orders WHERE shop_id = ? AND coalesce(customer_id, customer_email, customer_phone) = ?';

/** An order's rows waiting for a store, and its dead letters: each by an index too. */
export const ORDER_COPIES = {
  queued: 'SELECT id, "order" FROM outbox WHERE destination_id = ? AND order_key = ?',
  letters: 'SELECT id, "order" FROM dead_letters WHERE order_key = ?',
} as const;

interface OrderCopy { id: number; order: string | null }

/** Privacy requests (Shopify customers/redact, shop/redact): personal data leaves every table. */
export class Redactor {
  private readonly lookups;

  constructor(private readonly db: Db, private readonly shops: Pick<ShopRegistry, 'destinationsOf'>) {
    const raw = db.$client;
    this.lookups = {
      contact: raw.prepare(CUSTOMER_LOOKUP).pluck(),
      queued: raw.prepare(ORDER_COPIES.queued),
      letters: raw.prepare(ORDER_COPIES.letters),
    };
  }

  /** Orders stored for this person: same customer id; without one, same email; without either, same phone. */
  private ordersOf(shopId: string, who: CustomerIdentity): string[] {
    const contacts = [who.id || null, normalEmail(who.email), phoneDigits(who.phone)].filter((c): c is string => c !== null);
    return contacts.flatMap((contact) => this.lookups.contact.all(shopId, contact) as string[]);
  }

  redactCustomer(shopId: string, who: CustomerIdentity, orderKeys: string[]): void {
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
      // Stored packed: scrubbed as JSON, packed again. The local store reads the same version unless it holds its own copy.
      const o = this.db.select({ canonical: orders.canonical }).from(orders).where(eq(orders.key, key)).get();
      const held = o && unpackOrder(o.canonical);
      const scrubbed = held && scrub(held);
      // An order a look-up found that is someone else's by now keeps its identity columns.
      if (scrubbed && scrubbed !== held) {
        this.db.update(orders).set({ canonical: packOrder(scrubbed), customerEmail: null, customerId: null, customerPhone: null })
          .where(eq(orders.key, key)).run();
      }
      const l = this.db.select({ copy: localOrders.copy }).from(localOrders).where(eq(localOrders.key, key)).get();
      if (l?.copy) this.db.update(localOrders).set({ copy: packOrder(scrub(unpackOrder(l.copy))!) }).where(eq(localOrders.key, key)).run();
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
    const needles = [normalEmail(who.email), who.phone, who.id].filter((n): n is string => !!n);
    if (needles.length > 0) {
      this.db.update(quarantine).set({ body: '{"redacted":true}' })
        .where(and(eq(quarantine.shopId, shopId), or(...needles.map((n) => like(sql`lower(${quarantine.body})`, `%${n.toLowerCase()}%`))))).run();
    }
  }

  /** Every destination of the shop, enabled or not: copies may wait for any of them. */
  private destinationsOf(shopId: string): string[] {
    return this.shops.destinationsOf(shopId).map((d) => d.id);
  }

  /** shop/redact (48 h after uninstall): everything held for the shop goes. */
  redactShop(shopId: string): void {
    const prefix = `${shopId}:%`;
    this.db.delete(orders).where(eq(orders.shopId, shopId)).run();
    this.db.delete(localOrders).where(eq(localOrders.shopId, shopId)).run();
    this.db.delete(localEvents).where(like(localEvents.orderKey, prefix)).run();
    // By the shop's id prefix, not its destinations now: letters of destinations removed before (and rows of
    // one another process just added) hold the shop's data too. A scan, for a request that comes once.
    const ofShop = `${shopId}:`;
    this.db.delete(outbox).where(sql`substr(${outbox.destinationId}, 1, ${ofShop.length}) = ${ofShop}`).run();
    this.db.delete(deadLetters).where(sql`substr(${deadLetters.destinationId}, 1, ${ofShop.length}) = ${ofShop}`).run();
    this.db.delete(quarantine).where(eq(quarantine.shopId, shopId)).run();
    this.db.delete(receipts).where(and(eq(receipts.shopId, shopId), sql`${receipts.topic} <> 'shop/redact'`)).run();
  }
}
