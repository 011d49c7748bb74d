import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventType, Order } from '../src/core/canonical/index.ts';
import type { Clock } from '../src/core/clock.ts';
import { openDatabase, type OpenDatabase } from '../src/node/database.ts';
import { createStorage, type Storage } from '../src/core/storage.ts';
import { toDeliveryItem } from '../src/core/delivery/outboxQueue.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const SHOP = 'shopify:demo-shop.myshopify.com';

const scratchDb = scratchDatabases();

describe('sync state: order guard, outbox coalescing and in-order claims (real SQLite file)', () => {
  let path: string;
  let database: OpenDatabase;
  let storage: Storage;
  let now = 1_000;
  const clock: Clock = { now: () => now };

  beforeEach(() => {
    now = 1_000;
    path = scratchDb('ob-outbox-');
    database = openDatabase(path);
    storage = createStorage(database, clock);
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
  });
  afterEach(() => database.close());

  const put = (id: string, updatedAt: string, note: string, deliveryId = `${id}-${updatedAt}`) =>
    storage.writer.apply(
      { id: `${SHOP}:${deliveryId}`, shopId: SHOP, topic: 'orders/updated', eventId: null },
      { kind: 'order', order: makeOrder(id, { updatedAt, note }), events: ['order.updated'], origin: 'webhook' },
    );

  it('records an older version as stale and does not queue it', () => {
    expect(put('1', '2026-01-02T00:00:00.000Z', 'new').outcome).toBe('accepted');
    expect(put('1', '2026-01-01T00:00:00.000Z', 'old').outcome).toBe('stale');
    const rows = storage.outbox.list({ limit: 10 });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.order!).note).toBe('new');
  });

  describe('a stale version still tells its milestones (orders/create after a later orders/updated)', () => {
    const at = (day: number) => `2026-01-0${day}T00:00:00.000Z`;
    const webhook = (id: string, day: number, events: EventType[] | ((previous: Order | null) => EventType[]), origin: 'webhook' | 'resync' = 'webhook') =>
      storage.writer.apply(null, { kind: 'order', order: makeOrder(id, { updatedAt: at(day), note: `day ${day}` }), events, origin });
    const queued = () => storage.outbox.list({ limit: 10 }).map((r) => [JSON.parse(r.events), JSON.parse(r.order!).note]);

    it('joins the queued row of the newer version, order.created first, the late milestones before the newer events', () => {
      webhook('20', 3, ['order.updated', 'order.cancelled']);
      const late = webhook('20', 1, ['order.created']);
      expect(late).toMatchObject({ outcome: 'stale', detail: 'older than the stored version; queued with the newest version: order.created' });
      webhook('20', 2, ['order.paid']);
      expect(queued()).toEqual([[['order.created', 'order.paid', 'order.updated', 'order.cancelled'], 'day 3']]);
      // A second copy of a milestone already queued adds nothing.
      webhook('20', 2, ['order.paid']);
      expect(queued()).toEqual([[['order.created', 'order.paid', 'order.updated', 'order.cancelled'], 'day 3']]);
    });

    it('after the newer version went out, queues the milestones again with the newest version', () => {
      webhook('21', 2, ['order.updated']);
      const [sent] = storage.outbox.claim(`${SHOP}:local`, now, 10);
      storage.outbox.delivered(sent!);
      expect(webhook('21', 1, ['order.created', 'order.updated']).outcome).toBe('stale');
      expect(queued()).toEqual([[['order.created'], 'day 2']]);
    });

    it('an in-flight newer row is not touched: the milestone waits in its own row behind it', () => {
      webhook('22', 2, ['order.updated']);
      const [inFlight] = storage.outbox.claim(`${SHOP}:local`, now, 10);
      webhook('22', 1, ['order.created']);
      expect(queued()).toEqual([[['order.updated'], 'day 2'], [['order.created'], 'day 2']]);
      // The in-flight row fails: the row behind folds into it, creation first.
      storage.outbox.retryLater(inFlight!, 'HTTP 503', now + 1_000);
      expect(queued()).toEqual([[['order.created', 'order.updated'], 'day 2']]);
    });

    it('WooCommerce: of events derived from the version before, only order.created outlives a stale version', () => {
      webhook('23', 3, ['order.updated']);
      const [sent] = storage.outbox.claim(`${SHOP}:local`, now, 10);
      storage.outbox.delivered(sent!);
      // A late copy of an older save: against the newer version it would "become fulfilled" again.
      const wooUpdated = (previous: Order | null): EventType[] => (previous?.status === 'fulfilled' ? ['order.updated'] : ['order.updated', 'order.fulfilled']);
      expect(webhook('23', 2, wooUpdated)).toEqual({ outcome: 'stale', orderKey: `${SHOP}:23` });
      expect(queued()).toEqual([]);
      webhook('23', 1, () => ['order.created']);
      expect(queued()).toEqual([[['order.created'], 'day 3']]);
    });

    it('queues nothing for a stale order.updated, a stale resync page, or an order deleted since', () => {
      webhook('24', 3, ['order.updated']);
      const [sent] = storage.outbox.claim(`${SHOP}:local`, now, 10);
      storage.outbox.delivered(sent!);
      expect(webhook('24', 2, ['order.updated'])).toEqual({ outcome: 'stale', orderKey: `${SHOP}:24` });
      expect(webhook('24', 1, ['order.created'], 'resync')).toEqual({ outcome: 'stale', orderKey: `${SHOP}:24` });
      storage.writer.apply(null, { kind: 'delete', orderKey: `${SHOP}:24`, at: Date.parse(at(4)), tombstone: makeOrder('24') });
      const [deletion] = storage.outbox.claim(`${SHOP}:local`, now, 10);
      storage.outbox.delivered(deletion!);
      expect(webhook('24', 1, ['order.created'])).toEqual({ outcome: 'stale', orderKey: `${SHOP}:24` });
      expect(storage.outbox.count()).toBe(0);
    });
  });

  it('marks the row that begins with the first version seen of an order (firstSeen), and no later one', () => {
    const destination = `${SHOP}:local`;
    put('40', '2026-01-01T00:00:00.000Z', 'v1');
    put('40', '2026-01-02T00:00:00.000Z', 'v2'); // folds into the waiting row, which stays the first
    const [first] = storage.outbox.claim(destination, now, 10);
    expect([first!.firstSeen, JSON.parse(first!.events)]).toEqual([true, ['order.updated']]);
    const item = toDeliveryItem(first!, () => storage.outbox.currentOrders([`${SHOP}:40`]));
    expect([item.firstSeen, item.order!.note]).toEqual([true, 'v2']);
    storage.outbox.delivered(first!);
    put('40', '2026-01-03T00:00:00.000Z', 'v3');
    storage.writer.apply(null, { kind: 'order', order: makeOrder('40', { updatedAt: '2026-01-01T00:00:00.000Z' }), events: ['order.created'], origin: 'webhook' });
    const [next] = storage.outbox.claim(destination, now, 10);
    expect([next!.firstSeen, JSON.parse(next!.events)]).toEqual([false, ['order.created', 'order.updated']]);
    expect(storage.outbox.list({ limit: 10 })[0]!.firstSeen).toBe(false);
  });

  it('a destination added later (or changing store) gets firstSeen on the first version it receives of an order', () => {
    const later = `${SHOP}:later`;
    const firstSeenOf = () => storage.outbox.list({ destinationId: later, limit: 10 }).map((r) => r.firstSeen);
    const deliverAll = () => { for (const r of storage.outbox.claim(later, now, 10)) storage.outbox.delivered(r); };
    now = 1_000;
    put('50', '2026-01-01T00:00:00.000Z', 'v1');
    now = 2_000;
    storage.shops.upsertDestination({ id: later, shopId: SHOP, kind: 'engage', settings: '{}', secretSealed: null, enabled: true });
    now = 3_000;
    put('50', '2026-01-02T00:00:00.000Z', 'v2');
    expect(firstSeenOf()).toEqual([true]);
    expect(storage.outbox.list({ destinationId: `${SHOP}:local`, limit: 10 }).map((r) => r.firstSeen)).toEqual([true]); // v1's row, still waiting
    deliverAll();
    now = 4_000;
    put('50', '2026-01-03T00:00:00.000Z', 'v3');
    expect(firstSeenOf()).toEqual([false]);
    deliverAll();
    // Another store under the same id has had none of the orders; the same store again keeps its history.
    now = 5_000;
    storage.shops.upsertDestination({ id: later, shopId: SHOP, kind: 'esputnik-events', settings: '{}', secretSealed: null, enabled: true });
    now = 6_000;
    put('50', '2026-01-04T00:00:00.000Z', 'v4');
    expect(firstSeenOf()).toEqual([true]);
    deliverAll();
    now = 7_000;
    storage.shops.upsertDestination({ id: later, shopId: SHOP, kind: 'esputnik-events', settings: '{"importContacts":true}', secretSealed: null, enabled: true });
    now = 8_000;
    put('50', '2026-01-05T00:00:00.000Z', 'v5');
    expect(firstSeenOf()).toEqual([false]);
  });

  it('a late order.created for a destination added after the newer version came is that destination\'s first version', () => {
    const later = `${SHOP}:later`;
    now = 1_000;
    put('54', '2026-01-02T00:00:00.000Z', 'v2');
    for (const r of storage.outbox.claim(`${SHOP}:local`, now, 10)) storage.outbox.delivered(r);
    now = 2_000;
    storage.shops.upsertDestination({ id: later, shopId: SHOP, kind: 'engage', settings: '{}', secretSealed: null, enabled: true });
    now = 3_000;
    storage.writer.apply(null, { kind: 'order', order: makeOrder('54', { updatedAt: '2026-01-01T00:00:00.000Z' }), events: ['order.created'], origin: 'webhook' });
    expect(storage.outbox.list({ limit: 10 }).map((r) => [r.destinationId, JSON.parse(r.events), r.firstSeen])).toEqual([
      [`${SHOP}:local`, ['order.created'], false],
      [later, ['order.created'], true],
    ]);
  });

  it('refitted to another store: each order\'s first waiting row becomes a first version (the destination now feeds another store)', () => {
    const destination = `${SHOP}:local`;
    put('52', '2026-01-01T00:00:00.000Z', 'v1');
    put('53', '2026-01-01T00:00:00.000Z', 'v1');
    const [inFlight] = storage.outbox.claim(destination, now, 1);
    put(inFlight!.orderKey.split(':').at(-1)!, '2026-01-02T00:00:00.000Z', 'v2'); // a second row behind the one out
    for (const r of storage.outbox.claim(destination, now, 10)) storage.outbox.retryLater(r, 'HTTP 503', now);
    storage.outbox.retryLater(inFlight!, 'HTTP 503', now);
    // Make them all "not first" as rows of an old store would be, then switch.
    storage.database.sqlite.prepare('UPDATE outbox SET first_seen = 0').run();
    storage.outbox.afterDestinationChange(destination, 'store', now);
    const rows = storage.outbox.list({ destinationId: destination, limit: 10 });
    const firstIdOf = new Map<string, number>();
    for (const r of rows) if (!firstIdOf.has(r.orderKey)) firstIdOf.set(r.orderKey, r.id);
    expect(rows.map((r) => r.firstSeen)).toEqual(rows.map((r) => firstIdOf.get(r.orderKey) === r.id));
    expect(rows.filter((r) => r.firstSeen)).toHaveLength(2);
  });

  it('a dead letter keeps firstSeen, and its replay is the same item again', () => {
    const destination = `${SHOP}:local`;
    put('41', '2026-01-01T00:00:00.000Z', 'v1');
    const [row] = storage.outbox.claim(destination, now, 10);
    storage.outbox.deadLetter(row!, 'refused', now);
    const [letter] = storage.deadLetters.list({ limit: 10 });
    expect(letter!.firstSeen).toBe(true);
    // A newer version queued meanwhile (not first seen): the replay folds into it and makes it so.
    put('41', '2026-01-02T00:00:00.000Z', 'v2');
    expect(storage.outbox.list({ limit: 10 })[0]!.firstSeen).toBe(false);
    storage.deadLetters.replay(letter!.id);
    const [replayed] = storage.outbox.claim(destination, now, 10);
    expect([replayed!.firstSeen, replayed!.origin]).toEqual([true, 'webhook']);
    // Refused again, replayed while a newer version is in flight: queued behind it, then folded into it when it fails.
    storage.outbox.deadLetter(replayed!, 'refused again', now);
    put('41', '2026-01-03T00:00:00.000Z', 'v3');
    const [inFlight] = storage.outbox.claim(destination, now, 10);
    expect(inFlight!.firstSeen).toBe(false);
    storage.deadLetters.replay(storage.deadLetters.list({ limit: 10 })[0]!.id);
    storage.outbox.retryLater(inFlight!, 'HTTP 503', now);
    const rows = storage.outbox.list({ limit: 10 });
    expect(rows.map((r) => [r.id, r.firstSeen])).toEqual([[inFlight!.id, true]]);
  });

  it('a trashed version (WooCommerce order.updated, status trash) keeps when the order was cancelled', () => {
    const change = (updatedAt: string, o: Partial<Order>) =>
      storage.writer.apply(null, { kind: 'order', order: makeOrder('30', { updatedAt, ...o }), events: ['order.updated'], origin: 'webhook' });
    change('2026-01-02T00:00:00.000Z', { status: 'cancelled', cancelledAt: '2026-01-02T00:00:00.000Z' });
    change('2026-01-03T00:00:00.000Z', { status: 'deleted', cancelledAt: null });
    const [row] = storage.outbox.list({ limit: 10 });
    expect(JSON.parse(row!.order!)).toMatchObject({ status: 'deleted', cancelledAt: '2026-01-02T00:00:00.000Z' });
    // Never cancelled: nothing to keep.
    storage.writer.apply(null, { kind: 'order', order: makeOrder('31', { status: 'deleted', cancelledAt: null }), events: ['order.updated'], origin: 'webhook' });
    expect(JSON.parse(storage.outbox.list({ limit: 10 })[1]!.order!)).toMatchObject({ status: 'deleted', cancelledAt: null });
  });

  it('orders/create after an orders/updated of the same moment (not stale): order.created still goes first', () => {
    storage.writer.apply(null, { kind: 'order', order: makeOrder('25', { updatedAt: '2026-01-01T00:00:00.000Z', note: 'updated' }), events: ['order.updated'], origin: 'webhook' });
    storage.writer.apply(null, { kind: 'order', order: makeOrder('25', { updatedAt: '2026-01-01T00:00:00.000Z', note: 'created' }), events: ['order.created'], origin: 'webhook' });
    expect(storage.outbox.list({ limit: 10 }).map((r) => JSON.parse(r.events))).toEqual([['order.created', 'order.updated']]);
  });

  it('replaces an undelivered row with the newer version and keeps both lifecycle events', () => {
    storage.writer.apply(null, { kind: 'order', order: makeOrder('2', { updatedAt: '2026-01-01T00:00:00.000Z' }), events: ['order.created'], origin: 'webhook' });
    storage.writer.apply(null, { kind: 'order', order: makeOrder('2', { updatedAt: '2026-01-02T00:00:00.000Z', status: 'paid' }), events: ['order.paid'], origin: 'webhook' });
    const rows = storage.outbox.list({ limit: 10 });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.events)).toEqual(['order.created', 'order.paid']);
    expect(JSON.parse(rows[0]!.order!).status).toBe('paid');
  });

  it('a batch settled after its destination was removed leaves nothing behind, and takes nothing of one added again under that id', () => {
    const destination = `${SHOP}:local`;
    put('7', '2026-01-01T00:00:00.000Z', 'v1');
    put('8', '2026-01-01T00:00:00.000Z', 'v1');
    const [first, second] = storage.outbox.claim(destination, now, 10);
    const uncertain = { ...first!, uncertain: true };
    expect(storage.shops.removeDestination(SHOP, destination)).toEqual({ queuedRowsDropped: 2 });
    // Added again under the same id, and a new version of order 8 queued for it.
    storage.shops.upsertDestination({ id: destination, shopId: SHOP, kind: 'local', settings: '{}', secretSealed: null, enabled: true });
    put('8', '2026-01-02T00:00:00.000Z', 'v2');
    // The in-flight batch settles: no resend row for the removed destination, no fold of the new row.
    storage.outbox.delivered(uncertain, now + 60_000);
    storage.outbox.retryLater(second!, 'late answer', now + 1_000);
    storage.outbox.deadLetter(second!, 'refused after the removal', now);
    expect(storage.deadLetters.list({ limit: 10, includeReplayed: true })).toEqual([]);
    const rows = storage.outbox.list({ limit: 10 });
    expect(rows.map((r) => [r.orderKey, JSON.parse(r.order!).note, r.attempts])).toEqual([[`${SHOP}:8`, 'v2', 0]]);
  });

  it('queues nothing for a destination that no longer exists (a registry a moment behind)', () => {
    storage.writer.enqueue({ destinationId: `${SHOP}:gone`, orderKey: `${SHOP}:9`, events: ['order.created'], sourceUpdatedAt: now, origin: 'webhook', now });
    expect(storage.outbox.count()).toBe(0);
    storage.writer.enqueue({ destinationId: `${SHOP}:local`, orderKey: `${SHOP}:9`, events: ['order.created'], sourceUpdatedAt: now, origin: 'webhook', now });
    expect(storage.outbox.count()).toBe(1);
  });

  it('never lets a newer version overtake one in flight', () => {
    put('3', '2026-01-01T00:00:00.000Z', 'v1');
    const destination = `${SHOP}:local`;
    const first = storage.outbox.claim(destination, now, 10);
    expect(first).toHaveLength(1);
    put('3', '2026-01-02T00:00:00.000Z', 'v2');
    put('4', '2026-01-02T00:00:00.000Z', 'other order');
    // v2 of order 3 waits behind v1 in flight; order 4 is free to go.
    const second = storage.outbox.claim(destination, now, 10);
    expect(second.map((r) => r.orderKey)).toEqual([`${SHOP}:4`]);
    storage.outbox.delivered(first[0]!);
    const third = storage.outbox.claim(destination, now, 10);
    // An order row carries no copy: it delivers the newest version, read when its batch is prepared.
    expect(third.map((r) => [r.orderKey, r.order])).toEqual([[`${SHOP}:3`, null]]);
    expect(JSON.parse(storage.outbox.currentOrders([`${SHOP}:3`]).get(`${SHOP}:3`)!).note).toBe('v2');
  });

  it('holds later versions behind one waiting out a back-off', () => {
    put('5', '2026-01-01T00:00:00.000Z', 'v1');
    const destination = `${SHOP}:local`;
    const [row] = storage.outbox.claim(destination, now, 10);
    storage.outbox.retryLater(row!, 'HTTP 503', now + 60_000);
    put('5', '2026-01-02T00:00:00.000Z', 'v2');
    // The waiting row is pending, so v2 coalesces into it instead of queueing behind.
    const rows = storage.outbox.list({ limit: 10 });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.order!).note).toBe('v2');
    expect(storage.outbox.claim(destination, now, 10)).toHaveLength(0);
    now += 60_000;
    expect(storage.outbox.claim(destination, now, 10)).toHaveLength(1);
  });

  it('replays a dead letter with the newest known version, never the stale one', () => {
    put('6', '2026-01-01T00:00:00.000Z', 'v1');
    const destination = `${SHOP}:local`;
    const [row] = storage.outbox.claim(destination, now, 10);
    storage.outbox.deadLetter(row!, 'rejected: bad email', now);
    put('6', '2026-01-03T00:00:00.000Z', 'v3');
    const [v3] = storage.outbox.claim(destination, now, 10);
    storage.outbox.delivered(v3!);
    const [letter] = storage.deadLetters.list({ limit: 10 });
    expect(letter!.error).toBe('rejected: bad email');
    expect(storage.deadLetters.replay(letter!.id)).toMatchObject({ replayed: true });
    expect(storage.deadLetters.replay(letter!.id)).toMatchObject({ replayed: false, reason: 'already_replayed' });
    const [queued] = storage.outbox.list({ limit: 10 });
    expect(JSON.parse(queued!.order!).note).toBe('v3');
    expect(queued!.origin).toBe('replay');
  });

  it('leaves nothing claimed after a crash: a new process claims the rows again', () => {
    put('7', '2026-01-01T00:00:00.000Z', 'v1');
    expect(storage.outbox.claim(`${SHOP}:local`, now, 10)).toHaveLength(1);
    expect(storage.outbox.claim(`${SHOP}:local`, now, 10)).toHaveLength(0);
    // Claims live in the process: a new one (its own connection to the file) finds the row due again.
    const reopened = openDatabase(path);
    try {
      expect(createStorage(reopened, clock).outbox.claim(`${SHOP}:local`, now, 10)).toHaveLength(1);
    } finally {
      reopened.close();
    }
  });

  it('a newer version does not wait for a resend scheduled after an unanswered write: it goes now, and the resend follows it', () => {
    put('10', '2026-01-01T00:00:00.000Z', 'v1');
    const destination = `${SHOP}:local`;
    const [row] = storage.outbox.claim(destination, now, 10);
    storage.outbox.delivered({ ...row!, uncertain: true }, now + 60_000);
    const [resend] = storage.outbox.list({ limit: 10 });
    expect(resend).toMatchObject({ attempts: 0, nextAttemptAt: now + 60_000, uncertain: false });
    now += 1_000;
    put('10', '2026-01-02T00:00:00.000Z', 'v2');
    const [folded] = storage.outbox.list({ limit: 10 });
    expect(folded).toMatchObject({ id: resend!.id, nextAttemptAt: now, uncertain: true });
    expect(JSON.parse(folded!.order!).note).toBe('v2');
    // A row waiting out a back-off keeps waiting (it was answered): only a scheduled resend is made due.
    const [retried] = storage.outbox.claim(destination, now, 10);
    storage.outbox.retryLater(retried!, 'HTTP 503', now + 5_000);
    put('10', '2026-01-03T00:00:00.000Z', 'v3');
    expect(storage.outbox.list({ limit: 10 })[0]).toMatchObject({ nextAttemptAt: now + 5_000, attempts: 1 });
  });

  it('two unanswered writes of one order leave one scheduled resend, so a newer version is not held behind an earlier one', () => {
    const destination = `${SHOP}:local`;
    put('12', '2026-01-01T00:00:00.000Z', 'v1');
    const [first] = storage.outbox.claim(destination, now, 10);
    put('12', '2026-01-02T00:00:00.000Z', 'v2'); // queued behind the row in flight
    storage.outbox.delivered({ ...first!, uncertain: true }, now + 60_000);
    const [second] = storage.outbox.claim(destination, now, 10);
    storage.outbox.delivered({ ...second!, uncertain: true }, now + 61_000);
    expect(storage.outbox.list({ limit: 10 }).map((r) => r.nextAttemptAt)).toEqual([now + 61_000]);
    now += 1_000;
    put('12', '2026-01-03T00:00:00.000Z', 'v3');
    const [due] = storage.outbox.claim(destination, now, 10);
    expect(JSON.parse(due!.order ?? storage.outbox.list({ limit: 1 })[0]!.order!).note).toBe('v3');
  });

  it('after a deliverer stopped unsettled, claims what it could have had in flight as unanswered: rows queued then, due by its lease', () => {
    const destination = `${SHOP}:local`;
    put('11', '2026-01-01T00:00:00.000Z', 'v1');
    const [inFlight] = storage.outbox.claim(destination, now, 10);
    put('11', '2026-01-02T00:00:00.000Z', 'v2'); // queued behind the row in flight
    put('12', '2026-01-01T00:00:00.000Z', 'v1');
    const [answered] = storage.outbox.claim(destination, now, 10);
    storage.outbox.retryLater(answered!, 'HTTP 503', now + 60_000); // answered: waits past the lease, not in flight
    now += 10_000;
    put('13', '2026-01-01T00:00:00.000Z', 'due after the lease');
    const reopened = openDatabase(path);
    try {
      const taker = createStorage(reopened, clock).outbox;
      taker.inheritUnsettled(now - 1);
      put('14', '2026-01-01T00:00:00.000Z', 'queued after the take-over');
      const claimed = () => taker.claim(destination, now + 60_000, 10).map((r) => [r.orderKey.split(':').pop(), r.uncertain]);
      expect(claimed()).toEqual([['11', true], ['12', false], ['13', false], ['14', false]]);
      expect(taker.claim(destination, now, 10)).toEqual([]);
    } finally {
      reopened.close();
    }
    expect(inFlight!.uncertain).toBe(false);
    // Nothing was written: the row in flight is marked only as claimed by the process that took over.
    expect(storage.outbox.list({ limit: 10 }).map((r) => r.uncertain)).toEqual([false, false, false, false, false]);
  });

  it('does not fold a newer version into a row in flight', () => {
    put('9', '2026-01-01T00:00:00.000Z', 'v1');
    const [claimed] = storage.outbox.claim(`${SHOP}:local`, now, 10);
    put('9', '2026-01-02T00:00:00.000Z', 'v2');
    const rows = storage.outbox.list({ limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([claimed!.id, claimed!.id + 1]);
    expect(JSON.parse(rows[1]!.events)).toEqual(['order.updated']);
  });
});

describe('retry folds a newer version queued behind it', () => {
  it('a failed row takes the events of the row behind it, which goes away', () => {
    const database = openDatabase(scratchDb('ob-fold-'));
    const storage = createStorage(database, { now: () => 1_000 });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    const destination = `${SHOP}:local`;
    storage.writer.apply(null, { kind: 'order', order: makeOrder('8', { updatedAt: '2026-01-01T00:00:00.000Z' }), events: ['order.created'], origin: 'webhook' });
    const [first] = storage.outbox.claim(destination, 1_000, 10);
    storage.writer.apply(null, { kind: 'order', order: makeOrder('8', { updatedAt: '2026-01-02T00:00:00.000Z', note: 'v2' }), events: ['order.paid'], origin: 'webhook' });
    expect(storage.outbox.list({ limit: 10 })).toHaveLength(2);
    storage.outbox.retryLater(first!, 'HTTP 503', 2_000);
    const rows = storage.outbox.list({ limit: 10 });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.events)).toEqual(['order.created', 'order.paid']);
    expect(JSON.parse(rows[0]!.order!).note).toBe('v2');
    database.close();
  });
});
