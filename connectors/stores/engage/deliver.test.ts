import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventType, Order } from '../../../src/core/canonical/index.ts';
import type { DeliveryItem, DestinationContext, StoreFetch } from '../../../src/core/delivery/destination.ts';
import { canonicalOrder } from '../../../mappings/stores/engage/fixtures.ts';
import { EngageSettings, engageStore } from './index.ts';
import { startEngageSimulator, type RunningEngageSimulator } from './simulator/index.ts';

let sim: RunningEngageSimulator;
// A fixed clock for both sides, so the fixtures' 2026 dates stay inside the two-year window.
const NOW = Date.parse('2026-06-01T00:00:00Z');
beforeAll(async () => { sim = await startEngageSimulator({ now: () => NOW }); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.reset(); sim.faults.clear(); });

function ctx(over: { timeoutMs?: number; secret?: string } = {}): DestinationContext<EngageSettings> {
  const timeoutMs = over.timeoutMs ?? 5_000;
  return {
    settings: EngageSettings.parse({ baseUrl: sim.url }),
    secret: over.secret ?? sim.token,
    fetch: (input, init) => globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    now: () => NOW,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

let nextId = 1;
function item(order: Order | null, events: EventType[] = ['order.updated']): DeliveryItem {
  return { id: nextId++, orderKey: order?.key ?? 'customer', events, order, customer: null, origin: 'webhook', attempt: 1 };
}

const deliver = (items: DeliveryItem[], c = ctx()) => engageStore.deliver(items, c);
const orders = (n: number, from = 1) => Array.from({ length: n }, (_, i) => canonicalOrder({ id: String(from + i) }));

describe('engageStore definition', () => {
  it('defaults to the vendor URL and the documented batch limit', () => {
    expect(EngageSettings.parse({}).baseUrl).toBe('https://api-dot-solutionsone-211314.ew.r.appspot.com');
    expect(engageStore).toMatchObject({ kind: 'engage', batchSize: 250 });
  });
});

describe('Engage delivery: an order through its life', () => {
  it('creates, updates, cancels and deletes — the simulator holds the right state each time (README table)', async () => {
    const created = canonicalOrder({ id: '4401', status: 'placed', shipping: 495 });
    expect(await deliver([item(created, ['order.created'])])).toEqual([{ outcome: 'delivered' }]);
    expect(sim.orders.get('4401')).toEqual({
      order_id: 4401, // source.orderId
      status: 'pending', // status placed
      email: 'ada@example.com', // customer.email
      city: 'New York', // billingAddress.city
      country: 'US', // billingAddress.country
      currency: 'USD', // currency
      date_created_gmt: '2026-03-01T10:20:30+00:00', // createdAt
      date_modified_gmt: '2026-03-01T11:00:00+00:00', // updatedAt
      order_value: 44.93, // totals.total
      first_name: 'Ada', // customer.firstName
      last_name: 'Lovelace', // customer.lastName
      phone: '+46 123 456 789', // customer.phone
      zip_code: '10800', // billingAddress.postalCode
      line_items: [
        {
          line_item_product_id: 1002, line_item_price: 17.49, line_item_quantity: 2, line_item_name: 'Product 1',
          line_item_sku: 'SKU-1', line_item_variation_id: 2002, line_item_subtotal: 34.98, line_item_total: 34.98,
          line_item_tax_class: 'standard', line_item_total_tax: 0, line_item_subtotal_tax: 0,
        },
        {
          line_item_product_id: 1003, line_item_price: 5, line_item_quantity: 1, line_item_name: 'Product 2',
          line_item_sku: 'SKU-2', line_item_variation_id: 2003, line_item_subtotal: 5, line_item_total: 5,
          line_item_total_tax: 0, line_item_subtotal_tax: 0,
        },
      ],
    });

    const updated = canonicalOrder({ id: '4401', status: 'completed', lines: [[1749, 3]] }, {
      updatedAt: '2026-03-03T09:00:00.000Z', completedAt: '2026-03-03T09:00:00.000Z',
    });
    expect(await deliver([item(updated, ['order.paid', 'order.fulfilled'])])).toEqual([{ outcome: 'delivered' }]);
    expect(sim.orders.get('4401')).toMatchObject({
      status: 'completed', order_value: 52.47, completion_date_gmt: '2026-03-03T09:00:00+00:00',
      date_modified_gmt: '2026-03-03T09:00:00+00:00',
      line_items: [{ line_item_product_id: 1002, line_item_quantity: 3, line_item_subtotal: 52.47 }],
    });

    const cancelled = { ...updated, status: 'cancelled' as const, cancelledAt: '2026-03-04T00:00:00.000Z', updatedAt: '2026-03-04T00:00:00.000Z' };
    await deliver([item(cancelled, ['order.cancelled'])]);
    expect(sim.orders.get('4401')).toMatchObject({ status: 'cancelled', date_modified_gmt: '2026-03-04T00:00:00+00:00' });

    const deleted = { ...cancelled, status: 'deleted' as const, updatedAt: '2026-03-05T00:00:00.000Z' };
    expect(await deliver([item(deleted, ['order.deleted'])])).toEqual([{ outcome: 'delivered' }]);
    expect(sim.orders.get('4401')).toMatchObject({ status: 'deleted', date_modified_gmt: '2026-03-05T00:00:00+00:00' });
    expect(sim.orders.size).toBe(1);
  });

  it('does not send an order deleted before Engage ever got it', async () => {
    const deleted = canonicalOrder({ id: '4402', status: 'deleted' });
    const [outcome] = await deliver([item(deleted, ['order.created', 'order.deleted'])]);
    expect(outcome).toEqual({ outcome: 'delivered', detail: 'skipped: deleted before it was ever sent' });
    expect(sim.stats.requests).toBe(0);
  });

  it('keeps an order id beyond 2^53 exact end to end', async () => {
    await deliver([item(canonicalOrder({ id: '820982911946154508' }))]);
    expect(sim.orders.get('820982911946154508')?.order_id).toBe(820982911946154508n);
  });

  it('skips customer-only items and dead-letters orders Engage could never take, without a request', async () => {
    const outcomes = await deliver([item(null), item(canonicalOrder({ id: '9' }, { customer: null }))]);
    expect(outcomes[0]).toMatchObject({ outcome: 'delivered' });
    expect(outcomes[1]).toEqual({ outcome: 'rejected', error: 'not sent to Engage: no e-mail address: Engage requires email' });
    expect(sim.stats.requests).toBe(0);
  });
});

describe('Engage delivery: batches', () => {
  it('delivers the good orders of a batch and rejects only the bad one with Engage\'s error text', async () => {
    const batch = orders(20);
    batch[13]!.customer!.email = 'not-an-email';
    const outcomes = await deliver(batch.map((o) => item(o)));
    outcomes.forEach((o, i) => {
      if (i === 13) {
        expect(o.outcome).toBe('rejected');
        expect(o.outcome === 'rejected' && o.error).toBe(
          'Engage 400 Bad Request: {"message":"Order upload failed","error":"email: \\"not-an-email\\" is not an e-mail address"}');
      } else {
        expect(o).toEqual({ outcome: 'delivered' });
      }
    });
    expect(sim.orders.size).toBe(19);
    expect(sim.orders.has('14')).toBe(false);
    // Bisecting 20 down to one costs at most 2 requests per level.
    expect(sim.stats.requests).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(20)));
  });

  it('rejects each of several bad orders and delivers all the rest', async () => {
    const batch = orders(40, 100);
    batch[0]!.billingAddress!.country = 'XX';
    batch[39]!.customer!.email = 'nope';
    const outcomes = await deliver(batch.map((o) => item(o)));
    expect(outcomes.map((o) => o.outcome).filter((o) => o === 'rejected')).toHaveLength(2);
    expect(outcomes[0]).toMatchObject({ outcome: 'rejected' });
    expect(outcomes[39]).toMatchObject({ outcome: 'rejected' });
    expect(sim.orders.size).toBe(38);
  });

  it('splits more than 250 orders into requests of 250', async () => {
    const outcomes = await deliver(orders(300).map((o) => item(o)));
    expect(outcomes.every((o) => o.outcome === 'delivered')).toBe(true);
    expect(sim.stats.batchSizes).toEqual([250, 50]);
    expect(sim.orders.size).toBe(300);
  });
});

describe('Engage delivery: failures are retried', () => {
  it('classifies 5xx as retry', async () => {
    sim.faults.set({ serverErrorRate: 1 });
    const outcomes = await deliver(orders(3).map((o) => item(o)));
    for (const o of outcomes) expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('Engage 503') });
    expect(sim.orders.size).toBe(0);
  });

  it('classifies 429 as retry with Retry-After in ms, and stops sending for this call', async () => {
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 7 });
    const outcomes = await deliver(orders(300).map((o) => item(o)));
    for (const o of outcomes) expect(o).toMatchObject({ outcome: 'retry', retryAfterMs: 7000 });
    expect(sim.faults.injected.throttle).toBe(1);
  });

  it('classifies a timeout as retry', async () => {
    sim.faults.set({ slowRate: 1, slowMs: 1_000 });
    const [o] = await deliver([item(canonicalOrder())], ctx({ timeoutMs: 100 }));
    expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('timed out') });
  });

  it('classifies a dropped connection as retry', async () => {
    sim.faults.set({ dropRate: 1 });
    const [o] = await deliver([item(canonicalOrder())]);
    expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('network error') });
    expect(sim.faults.injected.drop).toBe(1);
  });

  it('keeps orders for retry when the token is refused (a setting to fix, not bad orders), without echoing it', async () => {
    const [o] = await deliver([item(canonicalOrder())], ctx({ secret: 'wrong-secret-value' }));
    expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('Engage 401') });
    expect(JSON.stringify(o)).not.toContain('wrong-secret-value');
  });

  it('retries the rest of a bisected batch when Engage starts failing midway', async () => {
    const batch = orders(8);
    batch[0]!.customer!.email = 'bad';
    // First request (whole batch) gets the 400; then the server goes down.
    const c = ctx();
    let calls = 0;
    const fetchOnce: StoreFetch = async (url, init) => {
      if (++calls === 2) sim.faults.set({ serverErrorRate: 1 });
      return c.fetch(url, init);
    };
    const outcomes = await deliver(batch.map((o) => item(o)), { ...c, fetch: fetchOnce });
    expect(outcomes.every((o) => o.outcome === 'retry')).toBe(true);
    expect(calls).toBe(2);
  });
});
