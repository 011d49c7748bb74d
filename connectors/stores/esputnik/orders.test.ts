import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildOrder, deletedVersion } from '../../../mappings/stores/esputnik/fixtures.ts';
import { esputnikOrdersSettings, esputnikOrdersStore } from './index.ts';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from './simulator/index.ts';
import { contextFor, itemFor, shopifyTestOrder } from './testSupport.ts';

const KEY = 'orders-key-123';
let sim: RunningEsputnikSimulator;
let frozen = 0;

beforeAll(async () => {
  sim = await startEsputnikSimulator({ apiKeys: [KEY], now: () => frozen });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.reset();
  sim.faults.clear();
  frozen += 10_000; // a fresh rate window for every test
});

const ctx = (secret = KEY, timeoutMs = 2000, settings: Record<string, unknown> = {}) =>
  contextFor(esputnikOrdersSettings, { baseUrl: sim.baseUrl, ...settings }, secret, timeoutMs);

describe('eSputnik orders store over HTTP', () => {
  it('declares the documented limits and the vendor URL', () => {
    expect(esputnikOrdersStore.kind).toBe('esputnik-orders');
    expect(esputnikOrdersStore.batchSize).toBe(1000);
    expect(esputnikOrdersStore.requestsPerSecond).toBe(200);
    expect(esputnikOrdersSettings.parse({}).baseUrl).toBe('https://esputnik.com/api');
    const group = esputnikOrdersStore.rateGroup!(esputnikOrdersSettings.parse({}), KEY);
    expect(group).not.toContain(KEY);
    expect(group).toBe(esputnikOrdersStore.rateGroup!(esputnikOrdersSettings.parse({}), KEY));
  });

  it('creates, updates, cancels and deletes an order, field by field as in the README table', async () => {
    const placed = buildOrder({
      orderId: '1001',
      lines: [{ unitPrice: 1999, quantity: 2, discount: 400, tax: 300 }, { unitPrice: 500, tax: 50, url: null, imageUrl: null }],
      shipping: 1000,
      shippingTax: 100,
    });
    // A line without an image: without itemImageUrl its url stands in (eSputnik requires imageUrl on each item).
    expect(await esputnikOrdersStore.deliver([itemFor(placed, ['order.created'])], ctx())).toEqual([{ outcome: 'delivered' }]);
    expect((sim.orders.get('1001')?.items as unknown[] | undefined)?.[1]).toMatchObject({ url: 'https://shop.example.com/', imageUrl: 'https://shop.example.com/' });
    const withImage = ctx(KEY, 2000, { itemImageUrl: 'https://cdn.example.com/placeholder.png' });
    expect(await esputnikOrdersStore.deliver([itemFor(placed, ['order.created'])], withImage)).toEqual([{ outcome: 'delivered' }]);
    expect(sim.orders.get('1001')).toEqual({
      externalOrderId: '1001', // source.orderId
      externalCustomerId: '7001', // customer.id
      totalCost: 55.48, // totals.total
      status: 'INITIALIZED', // placed
      date: '2026-03-08T09:30:00+00:00', // createdAt
      currency: 'USD',
      email: 'jane@example.com',
      phone: '380501234567', // digits only
      firstName: 'Jane',
      lastName: 'Doe',
      shipping: 10,
      discount: 4,
      taxes: 4.5,
      deliveryMethod: 'express', // shipping.method
      paymentMethod: 'card',
      deliveryAddress: 'First str. 1, 01001 Kyiv, UA', // shipping address, else billing
      source: 'shopify', // source.platform
      items: [
        // each line with its own tax (35.98 + 3.00, 5.00 + 0.50); the 1.00 shipping tax by their tax (0.86, 0.14)
        { externalItemId: 'P1', name: 'Product 1', category: 'devices', quantity: 2, cost: 39.84,
          url: 'https://shop.example.com/p/1', imageUrl: 'https://cdn.example.com/p/1.png' },
        { externalItemId: 'P2', name: 'Product 2', category: 'devices', quantity: 1, cost: 5.64,
          url: 'https://shop.example.com/', imageUrl: 'https://cdn.example.com/placeholder.png' }, // itemImageUrl
      ],
    });

    const paid = buildOrder({ orderId: '1001', status: 'paid', lines: [{ unitPrice: 2500, quantity: 1 }], customer: { lastName: 'Doe-Smith' } });
    expect(await esputnikOrdersStore.deliver([itemFor(paid, ['order.updated', 'order.paid'])], ctx())).toEqual([{ outcome: 'delivered' }]);
    expect(sim.orders.size).toBe(1); // same externalOrderId updates
    expect(sim.orders.get('1001')).toMatchObject({ status: 'IN_PROGRESS', totalCost: 25, lastName: 'Doe-Smith', shipping: 0 });
    expect(sim.orders.get('1001')?.items).toEqual([
      { externalItemId: 'P1', name: 'Product 1', category: 'devices', quantity: 1, cost: 25,
        url: 'https://shop.example.com/p/1', imageUrl: 'https://cdn.example.com/p/1.png' },
    ]);

    const cancelled = buildOrder({ orderId: '1001', status: 'cancelled', lines: [{ unitPrice: 2500 }] });
    await esputnikOrdersStore.deliver([itemFor(cancelled, ['order.cancelled'])], ctx());
    expect(sim.orders.get('1001')?.status).toBe('CANCELLED');

    const deleted = buildOrder({ orderId: '1001', status: 'deleted' });
    expect(await esputnikOrdersStore.deliver([itemFor(deleted, ['order.deleted'])], ctx()))
      .toEqual([{ outcome: 'delivered', detail: 'deleted' }]);
    expect(sim.orders.has('1001')).toBe(false);
    expect(sim.state.deletedOrders).toEqual(['1001']);
    expect(sim.state.requests.get('POST /v1/orders')).toBe(4);
    expect(sim.state.requests.get('DELETE /v1/orders')).toBe(1);
  });

  it('delivers the good orders of a batch and rejects only the invalid one with the store text', async () => {
    const good1 = buildOrder({ orderId: 'A1' });
    const bad = buildOrder({ orderId: 'A2', customer: { email: 'jane(at)example' } });
    const good2 = buildOrder({ orderId: 'A3', currency: 'KWD', lines: [{ unitPrice: 1234 }] });
    const nobody = buildOrder({ orderId: 'A4', customer: null, billingPhone: null });
    const outcomes = await esputnikOrdersStore.deliver([good1, bad, good2, nobody].map((o) => itemFor(o)), ctx());
    expect(outcomes).toEqual([
      { outcome: 'delivered' },
      { outcome: 'rejected', error: 'eSputnik refused order A2: email is not valid' },
      { outcome: 'delivered' },
      { outcome: 'rejected', error: 'eSputnik orders need externalCustomerId, email or phone; the order has none' },
    ]);
    expect([...sim.orders.keys()].sort()).toEqual(['A1', 'A3']);
    expect(sim.orders.get('A3')?.totalCost).toBe(1.234);
    expect(sim.state.requests.get('POST /v1/orders')).toBe(1); // one request for the whole batch
  });

  it('skips platform test orders (the Shopify JPY test fixture) unless sendTestOrders is on', async () => {
    const test = shopifyTestOrder();
    expect(test.test).toBe(true);
    expect(esputnikOrdersSettings.parse({}).sendTestOrders).toBe(false);
    const live = buildOrder({ orderId: 'L1' });
    expect(await esputnikOrdersStore.deliver([itemFor(test, ['order.created']), itemFor(live)], ctx())).toEqual([
      { outcome: 'delivered', detail: 'skipped: test order (sendTestOrders is off)' },
      { outcome: 'delivered' },
    ]);
    expect([...sim.orders.keys()]).toEqual(['L1']);
    // a deletion of a test order is no business of eSputnik's either
    expect(await esputnikOrdersStore.deliver([itemFor(deletedVersion(test), ['order.deleted'])], ctx())).toEqual([
      { outcome: 'delivered', detail: 'skipped: test order (sendTestOrders is off)' },
    ]);
    expect(sim.state.requests.get('DELETE /v1/orders')).toBeUndefined();

    expect(await esputnikOrdersStore.deliver([itemFor(test, ['order.created'])], ctx(KEY, 2000, { sendTestOrders: true })))
      .toEqual([{ outcome: 'delivered' }]);
    expect(sim.orders.get(test.source.orderId)).toMatchObject({ currency: 'JPY', status: 'CANCELLED' });
  });

  it('sends a batch of 1000 in one request and leaves customer-only items alone', async () => {
    const orders = Array.from({ length: 1000 }, (_, i) => buildOrder({ orderId: `B${i}` }));
    const outcomes = await esputnikOrdersStore.deliver([...orders.map((o) => itemFor(o)), itemFor(null, ['customer.created'])], ctx());
    expect(outcomes.filter((o) => o.outcome === 'delivered')).toHaveLength(1001);
    expect(outcomes[1000]).toEqual({ outcome: 'delivered', detail: 'skipped: no order to send (customer-only change)' });
    expect(sim.orders.size).toBe(1000);
    expect(sim.state.requests.get('POST /v1/orders')).toBe(1);
  });

  it('narrows a whole-request 4xx or an unattributed failure down by resending orders one by one', async () => {
    // eSputnik stand-in that refuses any multi-order request, then answers single orders from the simulator.
    const refuseBatches = (answer: () => Response): typeof fetch => async (input, init) => {
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { orders?: unknown[] }) : {};
      return (body.orders?.length ?? 0) > 1 ? answer() : globalThis.fetch(input, init);
    };
    const batch = [buildOrder({ orderId: 'S1' }), buildOrder({ orderId: 'S2', customer: { email: 'bad@' } })].map((o) => itemFor(o));
    const whole400 = { ...ctx(), fetch: refuseBatches(() => new Response('{"message":"Bad Request"}', { status: 400 })) };
    expect(await esputnikOrdersStore.deliver(batch, whole400)).toEqual([
      { outcome: 'delivered' },
      { outcome: 'rejected', error: 'eSputnik refused order S2: email is not valid' },
    ]);
    sim.state.reset();
    const unnamed = { ...ctx(), fetch: refuseBatches(() => Response.json({ failedOrders: [{ errorMessage: 'Invalid order' }] })) };
    expect(await esputnikOrdersStore.deliver(batch, unnamed)).toEqual([
      { outcome: 'delivered' },
      { outcome: 'rejected', error: 'eSputnik refused order S2: email is not valid' },
    ]);
    expect([...sim.orders.keys()]).toEqual(['S1']);
  });

  describe('classifies transient failures as retry', () => {
    const one = () => [itemFor(buildOrder({ orderId: 'R1' }))];

    it('5xx', async () => {
      sim.faults.set({ serverErrorRate: 1 });
      const [o] = await esputnikOrdersStore.deliver(one(), ctx());
      expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('eSputnik 503') });
      expect(sim.faults.injected.serverError).toBe(1);
    });

    it('429 with Retry-After', async () => {
      sim.faults.set({ throttleRate: 1, retryAfterSeconds: 7 });
      const [o] = await esputnikOrdersStore.deliver(one(), ctx());
      expect(o).toMatchObject({ outcome: 'retry', retryAfterMs: 7000 });
    });

    it('429 from the documented 200 req/s limit', async () => {
      const tight = await startEsputnikSimulator({ apiKeys: [KEY], rateLimits: { general: 2 }, now: () => 0 });
      try {
        const c = contextFor(esputnikOrdersSettings, { baseUrl: tight.baseUrl }, KEY);
        await esputnikOrdersStore.deliver(one(), c);
        await esputnikOrdersStore.deliver(one(), c);
        const [o] = await esputnikOrdersStore.deliver(one(), c);
        expect(o).toMatchObject({ outcome: 'retry', retryAfterMs: 1000, error: expect.stringContaining('limit is 2 per second') });
      } finally {
        await tight.close();
      }
    });

    it('timeout', async () => {
      sim.faults.set({ slowRate: 1, slowMs: 600 });
      const [o] = await esputnikOrdersStore.deliver(one(), ctx(KEY, 150));
      expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('timed out') });
      expect(sim.orders.size).toBe(0);
      await new Promise((r) => setTimeout(r, 700)); // let the slow handler finish before the next test
    });

    it('dropped connection', async () => {
      sim.faults.set({ dropRate: 1 });
      const [o] = await esputnikOrdersStore.deliver(one(), ctx());
      expect(o).toMatchObject({ outcome: 'retry', error: expect.stringContaining('eSputnik did not answer') });
      expect(sim.faults.injected.drop).toBe(1);
    });

    it('a failed delete is retried too', async () => {
      sim.faults.set({ serverErrorRate: 1 });
      const [o] = await esputnikOrdersStore.deliver([itemFor(buildOrder({ status: 'deleted' }))], ctx());
      expect(o?.outcome).toBe('retry');
    });
  });

  it('retries every item with the store text when the API key is wrong (the key, not the orders, is wrong)', async () => {
    const outcomes = await esputnikOrdersStore.deliver([itemFor(buildOrder({ orderId: 'X1' })), itemFor(buildOrder({ orderId: 'X2' }))], ctx('wrong-key'));
    expect(outcomes).toEqual([
      { outcome: 'retry', error: 'eSputnik 401: {"message":"Unauthorized"}' },
      { outcome: 'retry', error: 'eSputnik 401: {"message":"Unauthorized"}' },
    ]);
    expect(sim.orders.size).toBe(0);
  });
});
