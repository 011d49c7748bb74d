import { and, desc, eq, sql } from 'drizzle-orm';
import { Order as OrderSchema, type Customer, type EventType, type Order } from '../canonical/index.ts';
import type { Clock } from '../clock.ts';
import type { ShopRegistry } from '../shops/registry.ts';
import type { Db } from '../state/database.ts';
import { orders, outbox, quarantine, receipts } from '../state/schema.ts';
import type { Change, IngestResult, Origin, Receipt } from './change.ts';
import { isStale, sourceTime } from './orderGuard.ts';
import type { Redactor } from '../privacy/redactor.ts';

const p = sql.placeholder;

/**
 * Applies one translated change to the sync state: receipt, order guard, canonical version and one
 * outbox row per destination. Runs inside the caller's transaction; never commits by itself.
 */
export class SyncWriter {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly shops: ShopRegistry,
    private readonly clock: Clock,
    private readonly redactor: Redactor,
    /** Rows the delivery engine holds right now: a newer version must not fold into one of those. */
    private readonly isClaimed: (outboxId: number) => boolean = () => false,
  ) {
    this.q = {
      insertReceipt: db.insert(receipts).values({
        id: p('id'), shopId: p('shopId'), topic: p('topic'), eventId: p('eventId'), orderKey: p('orderKey'),
        outcome: p('outcome'), receivedAt: p('receivedAt'),
      }).onConflictDoNothing().prepare(),
      sameEvent: db.select({ id: receipts.id }).from(receipts)
        .where(and(eq(receipts.shopId, p('shopId')), eq(receipts.eventId, p('eventId')), eq(receipts.topic, p('topic'))))
        .limit(1).prepare(),
      receiptExists: db.select({ id: receipts.id }).from(receipts).where(eq(receipts.id, p('id'))).prepare(),
      storedOrder: db.select({ sourceUpdatedAt: orders.sourceUpdatedAt, version: orders.version, canonical: orders.canonical })
        .from(orders).where(eq(orders.key, p('key'))).prepare(),
      latestOutbox: db.select({ id: outbox.id, state: outbox.state, events: outbox.events, origin: outbox.origin })
        .from(outbox).where(and(eq(outbox.destinationId, p('destinationId')), eq(outbox.orderKey, p('orderKey'))))
        .orderBy(desc(outbox.id)).limit(1).prepare(),
      upsertOrder: db.insert(orders).values({
        key: p('key'), shopId: p('shopId'), sourceUpdatedAt: p('sourceUpdatedAt'), version: 1, canonical: p('canonical'),
        customerId: p('customerId'), customerEmail: p('customerEmail'), receivedAt: p('now'),
      }).onConflictDoUpdate({
        target: orders.key,
        set: {
          sourceUpdatedAt: sql`excluded.source_updated_at`, canonical: sql`excluded.canonical`, version: sql`${orders.version} + 1`,
          receivedAt: sql`excluded.received_at`, customerId: sql`excluded.customer_id`, customerEmail: sql`excluded.customer_email`,
        },
      }).prepare(),
      coalesceOutbox: db.update(outbox).set({
        events: sql`${p('events')}`, order: sql`${p('order')}`, customer: sql`${p('customer')}`,
        sourceUpdatedAt: sql`${p('sourceUpdatedAt')}`, origin: sql`${p('origin')}`,
      }).where(eq(outbox.id, p('id'))).prepare(),
      insertOutbox: db.insert(outbox).values({
        destinationId: p('destinationId'), orderKey: p('orderKey'), events: p('events'), order: p('order'), customer: p('customer'),
        sourceUpdatedAt: p('sourceUpdatedAt'), origin: p('origin'), state: 'pending', attempts: 0, nextAttemptAt: p('now'), createdAt: p('now'),
      }).prepare(),
    };
  }

  /** A repeat is recognised by delivery id, or by the same Shopify event id on the same topic. */
  apply(receipt: Receipt | null, change: Change): IngestResult {
    const now = this.clock.now();
    if (!receipt) return this.applyChange(null, change, now);
    // One transaction serialises this check with the insert below, so two copies never both pass.
    if (this.q.receiptExists.get({ id: receipt.id })) return { outcome: 'duplicate' };
    const twin = receipt.eventId !== null && this.q.sameEvent.all({ shopId: receipt.shopId, eventId: receipt.eventId, topic: receipt.topic }).length > 0;
    const result: IngestResult = twin ? { outcome: 'duplicate' } : this.applyChange(receipt, change, now);
    this.q.insertReceipt.run({
      id: receipt.id, shopId: receipt.shopId, topic: receipt.topic, eventId: receipt.eventId,
      orderKey: result.orderKey ?? null, outcome: result.outcome, receivedAt: now,
    });
    return result;
  }

  private applyChange(receipt: Receipt | null, change: Change, now: number): IngestResult {
    const shopId = receipt?.shopId;
    switch (change.kind) {
      case 'order':
        return this.putOrder(change.order, change.events, change.origin, now);
      case 'amend': {
        const stored = this.q.storedOrder.get({ key: change.orderKey });
        if (!stored) return this.quarantine(receipt, change.body, `order ${change.orderKey} is not known yet`, now);
        const amended = change.amend(OrderSchema.parse(JSON.parse(stored.canonical)));
        if (!amended) return { outcome: 'ignored', orderKey: change.orderKey, detail: 'already applied' };
        return this.putOrder(amended.order, amended.events, 'webhook', now, true);
      }
      case 'delete': {
        const stored = this.q.storedOrder.get({ key: change.orderKey });
        const base: Order = stored ? (JSON.parse(stored.canonical) as Order) : change.tombstone;
        const at = Math.max(change.at, stored?.sourceUpdatedAt ?? 0);
        const order: Order = { ...base, status: 'deleted', updatedAt: new Date(at).toISOString() };
        return this.putOrder(order, ['order.deleted'], 'webhook', now, true);
      }
      case 'customer':
        return this.putCustomer(shopId, change.key, change.customer, change.events, now);
      case 'redact':
        this.redactor.redactCustomer(shopId ?? '', change.customer, change.orderKeys);
        return { outcome: 'redacted' };
      case 'redactShop':
        this.redactor.redactShop(shopId ?? '');
        return { outcome: 'redacted' };
      case 'uninstalled':
        if (shopId) this.shops.update(shopId, { uninstalledAt: now });
        return { outcome: 'accepted', detail: 'shop uninstalled' };
      case 'ignored':
        return { outcome: 'ignored', detail: change.reason };
      case 'quarantine':
        return this.quarantine(receipt, change.body, change.error, now);
    }
  }

  /** Kept with its error so an operator can see it; the platform still gets a 200 and stops retrying. */
  private quarantine(receipt: Receipt | null, body: string, error: string, now: number): IngestResult {
    this.db.insert(quarantine).values({
      platform: receipt?.shopId.split(':')[0] ?? '', shopId: receipt?.shopId ?? '', topic: receipt?.topic ?? '',
      deliveryId: receipt?.id ?? null, body, error, createdAt: now,
    }).run();
    return { outcome: 'quarantined', detail: error };
  }

  /** Order guard, then the new version and its outbox rows. `force` skips the guard for amendments of the stored version. */
  putOrder(order: Order, eventsOf: EventType[] | ((previous: Order | null) => EventType[]), origin: Origin, now: number, force = false): IngestResult {
    const at = sourceTime(order);
    const stored = this.q.storedOrder.get({ key: order.key });
    if (!force && isStale(at, stored && { ...stored, status: statusOf(stored.canonical) })) {
      return { outcome: 'stale', orderKey: order.key };
    }
    const events = typeof eventsOf === 'function' ? eventsOf(stored ? (JSON.parse(stored.canonical) as Order) : null) : eventsOf;
    const canonical = JSON.stringify(order);
    const sourceUpdatedAt = Math.max(at, force ? stored?.sourceUpdatedAt ?? 0 : 0);
    this.q.upsertOrder.run({
      key: order.key, shopId: shopOf(order), sourceUpdatedAt, canonical, now,
      customerId: order.customer?.id ?? null, customerEmail: order.customer?.email?.toLowerCase() ?? null,
    });
    for (const destination of this.shops.enabledDestinationsOf(shopOf(order))) {
      this.enqueue(destination.id, order.key, events, null, null, sourceUpdatedAt, origin, now);
    }
    return { outcome: 'accepted', orderKey: order.key };
  }

  private putCustomer(shopId: string | undefined, key: string, customer: Customer, events: EventType[], now: number): IngestResult {
    if (!shopId) return { outcome: 'ignored', detail: 'customer without shop' };
    const json = JSON.stringify(customer);
    for (const destination of this.shops.enabledDestinationsOf(shopId)) {
      this.enqueue(destination.id, key, events, null, json, now, 'webhook', now);
    }
    return { outcome: 'accepted', orderKey: key };
  }

  /** An undelivered row for the same order and store takes the newer version; its events accumulate. */
  enqueue(destinationId: string, orderKey: string, events: EventType[], order: string | null, customer: string | null,
    sourceUpdatedAt: number, origin: Origin, now: number): void {
    const latest = this.q.latestOutbox.get({ destinationId, orderKey });
    if (latest && latest.state === 'pending' && !this.isClaimed(latest.id)) {
      const merged = [...(JSON.parse(latest.events) as EventType[])];
      for (const e of events) if (!merged.includes(e) || e === 'cart.updated') merged.push(e);
      this.q.coalesceOutbox.run({
        id: latest.id, events: JSON.stringify(merged), order, customer, sourceUpdatedAt,
        origin: latest.origin === 'webhook' || origin === 'webhook' ? 'webhook' : origin,
      });
      return;
    }
    this.q.insertOutbox.run({
      destinationId, orderKey, events: JSON.stringify(events), order, customer, sourceUpdatedAt, origin, now,
    });
  }
}

function shopOf(order: Order): string {
  return `${order.source.platform}:${order.source.shop}`;
}

function statusOf(canonical: string): string {
  // Avoids a full parse on the hot path: status is a top-level enum field.
  const m = /"status":"([a-z]+)"/.exec(canonical);
  return m?.[1] ?? '';
}
