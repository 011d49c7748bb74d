import { createdFirst, Order as OrderSchema, type Customer, type EventType, type Order } from '../canonical/index.ts';
import { ZodError } from 'zod';
import type { Clock } from '../clock.ts';
import { issuesLine } from '../schemaIssues.ts';
import type { DestinationRow, ShopRegistry } from '../shops/registry.ts';
import type { Db } from '../state/sqlPort.ts';
import { unpackOrder } from '../state/packedOrder.ts';
import { quarantine } from '../state/schema.ts';
import type { Change, IngestResult, Origin, Receipt } from './change.ts';
import { isStale, lateMilestones } from './orderGuard.ts';
import { versionOf, type OrderVersion } from './orderVersion.ts';
import type { Redactor } from '../privacy/redactor.ts';

/** An error as one line: a schema's issues by path, anything else its message. */
function reasonOf(error: unknown): string {
  if (error instanceof ZodError) return issuesLine(error, (path) => path.join('.') || '(order)', 5);
  return error instanceof Error ? error.message : String(error);
}

/** What the guard reads of the version held: the order itself stays packed unless a change needs it. */
interface StoredOrder { sourceUpdatedAt: number; version: number; status: string; receivedAt: number }

/**
 * A destination's first version of an order: the order first seen, or its version before was received before
 * the destination existed. (Same millisecond: the destination came with the shop, in that version's own
 * transaction, so it had it.)
 */
const firstVersionFor = (stored: StoredOrder | undefined, destination: DestinationRow): boolean =>
  !stored || stored.receivedAt < destination.createdAt;
interface LatestOutbox { id: number; events: string; origin: Origin }

/** One outbox row to write (or to fold into the row of the same order waiting for the destination). */
export interface Enqueued {
  destinationId: string;
  orderKey: string;
  events: EventType[];
  /** A copy of the order to send (a replayed letter whose order has left `orders`); absent: the newest version held. */
  order?: string | null;
  /** The customer of a customer-only item (JSON). */
  customer?: string | null;
  sourceUpdatedAt: number;
  origin: Origin;
  now: number;
  /** The events are a stale version's milestones, older than the waiting row's own. */
  late?: boolean;
  /** The row carries the first version orderbridge held of the order (first seen, or a replayed letter that did). */
  firstSeen?: boolean;
}
/** Events of a new version; WooCommerce's depend on the version held before. */
type EventsOf = EventType[] | ((previous: Order | null) => EventType[]);

/**
 * Applies one translated change to the sync state: receipt, order guard, canonical version and one
 * outbox row per destination. Runs inside the caller's transaction; never commits by itself.
 */
export class SyncWriter {
  /** Prepared once: the statements this class runs. */
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly shops: ShopRegistry,
    private readonly clock: Clock,
    private readonly redactor: Redactor,
    /** Rows the delivery engine holds right now: a newer version must not fold into one of those. */
    private readonly isClaimed: (outboxId: number) => boolean = () => false,
  ) {
    const raw = db.$client;
    // Raw statements on the per-webhook path: compiled once, no result mapping (drizzle's cost was ~20 µs a webhook).
    this.statements = {
      insertReceipt: raw.prepare(`INSERT INTO receipts (id, shop_id, topic, event_id, order_key, outcome, received_at)
        VALUES (@id, @shopId, @topic, @eventId, @orderKey, @outcome, @receivedAt) ON CONFLICT DO NOTHING`),
      sameEvent: raw.prepare('SELECT 1 FROM receipts WHERE shop_id = ? AND event_id = ? AND topic = ? LIMIT 1').pluck(),
      receiptExists: raw.prepare('SELECT 1 FROM receipts WHERE id = ?').pluck(),
      deleteReceipts: raw.prepare('DELETE FROM receipts WHERE shop_id = ?'),
      storedOrder: raw.prepare('SELECT source_updated_at AS sourceUpdatedAt, version, status, received_at AS receivedAt FROM orders WHERE key = ?'),
      storedCanonical: raw.prepare('SELECT canonical FROM orders WHERE key = ?').pluck(),
      latestOutbox: raw.prepare(`SELECT id, events, origin FROM outbox WHERE destination_id = ? AND order_key = ?
        ORDER BY id DESC LIMIT 1`),
      upsertOrder: raw.prepare(`INSERT INTO orders (key, shop_id, source_updated_at, version, canonical, status, source_created_at, customer_id, customer_email, customer_phone, received_at)
        VALUES (@key, @shopId, @sourceUpdatedAt, 1, @canonical, @status, @sourceCreatedAt, @customerId, @customerEmail, @customerPhone, @now)
        ON CONFLICT (key) DO UPDATE SET source_updated_at = excluded.source_updated_at, canonical = excluded.canonical,
          status = excluded.status, source_created_at = excluded.source_created_at, version = orders.version + 1, received_at = excluded.received_at, customer_id = excluded.customer_id,
          customer_email = excluded.customer_email, customer_phone = excluded.customer_phone`),
      // A newer version does not wait for a resend scheduled after an unanswered write (never tried, due later): it goes
      // now, and still counts as following that write, so the resend comes again after it (SET reads the old values).
      coalesceOutbox: raw.prepare(`UPDATE outbox SET events = @events, "order" = @order, customer = @customer,
        source_updated_at = @sourceUpdatedAt, origin = @origin, first_seen = max(first_seen, @firstSeen),
        uncertain = uncertain OR (attempts = 0 AND next_attempt_at > @now),
        next_attempt_at = CASE WHEN attempts = 0 AND next_attempt_at > @now THEN @now ELSE next_attempt_at END WHERE id = @id`),
      // Not for a destination gone meanwhile (another process's registry may be 50 ms behind): nothing would deliver the row.
      insertOutbox: raw.prepare(`INSERT INTO outbox (destination_id, order_key, events, "order", customer, source_updated_at, origin, attempts, next_attempt_at, first_seen, created_at)
        SELECT @destinationId, @orderKey, @events, @order, @customer, @sourceUpdatedAt, @origin, 0, @now, @firstSeen, @now
        WHERE EXISTS (SELECT 1 FROM destinations WHERE id = @destinationId)`),
    };
  }

  /**
   * Forgets a shop (DELETE /api/shops/:shop): everything held for it, as shop/redact erases it, then its
   * receipts, destinations and the shop itself, in one transaction. False when there was no such shop.
   */
  removeShop(shopId: string): boolean {
    return this.db.transaction(() => {
      if (!this.shops.get(shopId)) return false;
      this.redactor.redactShop(shopId);
      this.statements.deleteReceipts.run(shopId);
      return this.shops.removeShop(shopId);
    }, { behavior: 'immediate' });
  }

  /** A repeat is recognised by delivery id, or by the same Shopify event id on the same topic. */
  apply(receipt: Receipt | null, change: Change): IngestResult {
    const now = this.clock.now();
    if (!receipt) return this.applyChange(null, change, now);
    // One transaction serialises this check with the insert below, so two copies never both pass.
    if (this.statements.receiptExists.get(receipt.id) !== undefined) return { outcome: 'duplicate' };
    const twin = receipt.eventId !== null && this.statements.sameEvent.get(receipt.shopId, receipt.eventId, receipt.topic) !== undefined;
    const result: IngestResult = twin ? { outcome: 'duplicate' } : this.applyChange(receipt, change, now);
    this.statements.insertReceipt.run({
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
      case 'version':
        return this.putVersion(change.version, change.events, change.origin, now);
      case 'amend': {
        const stored = this.storedDocument(change.orderKey);
        if (!stored) return this.quarantine(receipt, change.body, `order ${change.orderKey} is not known yet`, now);
        let amended: ReturnType<typeof change.amend>;
        try {
          amended = change.amend(OrderSchema.parse(stored));
        } catch (error) {
          // A refund that does not fit the stored order is kept for an operator, like a payload the mapping cannot read.
          return this.quarantine(receipt, change.body, `cannot apply to the stored order ${change.orderKey}: ${reasonOf(error)}`, now);
        }
        if (!amended) return { outcome: 'ignored', orderKey: change.orderKey, detail: 'already applied' };
        return this.putOrder(amended.order, amended.events, 'webhook', now, true);
      }
      case 'delete': {
        const stored = this.statements.storedOrder.get(change.orderKey) as StoredOrder | undefined;
        const base: Order = (stored && this.storedDocument(change.orderKey)) ?? change.tombstone;
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
        // The token goes with the app: nothing can be read from the shop until it is installed again.
        if (shopId) this.shops.update(shopId, { uninstalledAt: now, credentialsSealed: null });
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

  /** The canonical version held, unpacked and parsed: only for changes that build on it (refunds, deletions, WooCommerce's events). */
  private storedDocument(key: string): Order | undefined {
    const packed = this.statements.storedCanonical.get(key) as Buffer | undefined;
    return packed && (JSON.parse(unpackOrder(packed)) as Order);
  }

  /** Order guard, then the new version and its outbox rows. `force` skips the guard for amendments of the stored version. */
  putOrder(order: Order, eventsOf: EventsOf, origin: Origin, now: number, force = false): IngestResult {
    return this.putVersion(versionOf(order.status === 'deleted' ? this.keepCancellation(order) : order), eventsOf, origin, now, force);
  }

  /**
   * A deleted version keeps when the order was cancelled (stores must not announce a second cancellation);
   * WooCommerce's trashed order.updated says only "trash".
   */
  private keepCancellation(order: Order): Order {
    if (order.cancelledAt !== null) return order;
    const cancelledAt = this.storedDocument(order.key)?.cancelledAt ?? null;
    return cancelledAt ? { ...order, cancelledAt } : order;
  }

  putVersion(version: OrderVersion, eventsOf: EventsOf, origin: Origin, now: number, force = false): IngestResult {
    const at = version.sourceUpdatedAt;
    const stored = this.statements.storedOrder.get(version.key) as StoredOrder | undefined;
    if (!force && stored && isStale(at, stored)) {
      return this.putStale(version, stored, stored.status, eventsOf, origin, now);
    }
    const events = typeof eventsOf === 'function' ? eventsOf(stored ? this.storedDocument(version.key) ?? null : null) : eventsOf;
    const sourceUpdatedAt = Math.max(at, force ? stored?.sourceUpdatedAt ?? 0 : 0);
    this.statements.upsertOrder.run({
      key: version.key, shopId: version.shopId, sourceUpdatedAt, now,
      // Posted from the translation thread it arrives as a Uint8Array; SQLite binds a Buffer (this one shares its bytes).
      canonical: Buffer.from(version.packed.buffer, version.packed.byteOffset, version.packed.byteLength),
      status: version.status, sourceCreatedAt: version.sourceCreatedAt,
      customerId: version.customerId, customerEmail: version.customerEmail, customerPhone: version.customerPhone,
    });
    // A disabled destination is paused, not forgotten: its rows wait and go once it is enabled again.
    for (const destination of this.shops.destinationsOf(version.shopId)) {
      this.enqueue({ destinationId: destination.id, orderKey: version.key, events, sourceUpdatedAt, origin, now, firstSeen: firstVersionFor(stored, destination) });
    }
    return { outcome: 'accepted', orderKey: version.key };
  }

  /** The stored version stays; the stale one's milestones (lateMilestones) are queued with it. */
  private putStale(version: OrderVersion, stored: StoredOrder, storedStatus: string, eventsOf: EventsOf, origin: Origin, now: number): IngestResult {
    const stale: IngestResult = { outcome: 'stale', orderKey: version.key };
    // A resync's history has no lifecycle to tell; a deleted order has told the stores its end.
    if (origin !== 'webhook' || storedStatus === 'deleted') return stale;
    // Events derived from the version before (WooCommerce order.updated) would be derived against the newer one,
    // reporting again what it no longer shows: of those, only the topic's own order.created is kept.
    const late = typeof eventsOf === 'function'
      ? lateMilestones(eventsOf(null)).filter((e) => e === 'order.created')
      : lateMilestones(eventsOf);
    if (late.length === 0) return stale;
    for (const destination of this.shops.destinationsOf(version.shopId)) {
      this.enqueue({
        destinationId: destination.id, orderKey: version.key, events: late, sourceUpdatedAt: stored.sourceUpdatedAt, origin, now,
        late: true, firstSeen: firstVersionFor(stored, destination),
      });
    }
    return { ...stale, detail: `older than the stored version; queued with the newest version: ${late.join(', ')}` };
  }

  private putCustomer(shopId: string | undefined, key: string, customer: Customer, events: EventType[], now: number): IngestResult {
    if (!shopId) return { outcome: 'ignored', detail: 'customer without shop' };
    const json = JSON.stringify(customer);
    for (const destination of this.shops.destinationsOf(shopId)) {
      this.enqueue({ destinationId: destination.id, orderKey: key, events, customer: json, sourceUpdatedAt: now, origin: 'webhook', now });
    }
    return { outcome: 'accepted', orderKey: key };
  }

  /** An undelivered row for the same order and store takes the newer version; its events accumulate. */
  enqueue({ destinationId, orderKey, events, order = null, customer = null, sourceUpdatedAt, origin, now, late = false, firstSeen = false }: Enqueued): void {
    const latest = this.statements.latestOutbox.get(destinationId, orderKey) as LatestOutbox | undefined;
    if (latest && !this.isClaimed(latest.id)) {
      const queued = JSON.parse(latest.events) as EventType[];
      const merged = late ? withLateEvents(queued, events) : withNewerEvents(queued, events);
      this.statements.coalesceOutbox.run({
        // orders/create and orders/updated of one moment (same updated_at) may arrive either way round.
        id: latest.id, events: JSON.stringify(createdFirst(merged)), order, customer, sourceUpdatedAt, now,
        origin: latest.origin === 'webhook' || origin === 'webhook' ? 'webhook' : origin, firstSeen: firstSeen ? 1 : 0,
      });
      return;
    }
    this.statements.insertOutbox.run({
      destinationId, orderKey, events: JSON.stringify(events), order, customer, sourceUpdatedAt, origin, now, firstSeen: firstSeen ? 1 : 0,
    });
  }
}

/** A newer version's events after those queued, each once (a cart's every change counts). */
function withNewerEvents(queued: EventType[], newer: EventType[]): EventType[] {
  const merged = [...queued];
  for (const e of newer) if (!merged.includes(e) || e === 'cart.updated') merged.push(e);
  return merged;
}

/** Late milestones go before the queued events they preceded (order.created first, as the caller puts it). */
function withLateEvents(queued: EventType[], late: EventType[]): EventType[] {
  const fresh = late.filter((e) => !queued.includes(e));
  return fresh.length === 0 ? queued : [...fresh, ...queued];
}
