import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../src/core/canonical/index.ts';
import { jpyGuestOrder, kwdOrder, line, usdOrder } from '../../../mappings/stores/expertsender/fixtures.ts';
import { ExpertSenderClient } from './client.ts';
import { expertsenderStore } from './index.ts';
import { startExpertSenderSimulator, type RunningExpertSenderSimulator } from './simulator/index.ts';
import { deliveryContext, deliveryItem } from './testSupport.ts';

let sim: RunningExpertSenderSimulator;
beforeAll(async () => { sim = await startExpertSenderSimulator({ apiKey: 'live-key' }); });
afterAll(async () => { await sim.close(); });
beforeEach(() => sim.reset());

const ctx = (settings: Parameters<typeof deliveryContext>[2] = {}, timeoutMs?: number) =>
  deliveryContext(sim.url, 'live-key', settings, timeoutMs);
const attr = (list: { name: string; value: string }[] | undefined, name: string) => list?.find((a) => a.name === name)?.value;
const ORDER_ID = '820982911946154508';

/** A distinct consistent order per index, for batches. */
const nth = (i: number): Order => usdOrder({
  key: `shopify:demo.myshopify.com:${1000 + i}`,
  source: { platform: 'shopify', shop: 'demo.myshopify.com', orderId: String(1000 + i), orderNumber: `#${1000 + i}` },
});

describe('expertsenderStore definition', () => {
  it('defaults to the real host, one order per call, and caps batchSize at 100', () => {
    const s = expertsenderStore.settingsSchema.parse({});
    expect(s).toMatchObject({ baseUrl: 'https://api.ecdp.app', batchSize: 1, statusUpdates: 'put', sendAttributes: true });
    expect(() => expertsenderStore.settingsSchema.parse({ batchSize: 101 })).toThrow();
    expect(() => expertsenderStore.settingsSchema.parse({ matchBy: 'CrmId', sendCrmId: false })).toThrow(/matchBy CrmId needs the crmId sent/);
    expect(expertsenderStore.settingsSchema.parse({ matchBy: 'Email', sendCrmId: false })).toMatchObject({ sendCrmId: false });
    expect(expertsenderStore).toMatchObject({ kind: 'expertsender', batchSize: 100 });
  });
});

describe('order lifecycle against the simulator', () => {
  it('create → update → cancel → delete ends in the right state, field by field per the README table', async () => {
    const c = ctx({ websiteId: 12 });
    // created
    const created = usdOrder();
    expect(await expertsenderStore.deliver([deliveryItem(created, ['order.created'])], c)).toEqual([
      { outcome: 'delivered', detail: `AddOrReplace ${ORDER_ID} (placed)` },
    ]);
    let stored = sim.orders.get(ORDER_ID)!;
    expect(stored).toMatchObject({
      id: ORDER_ID, date: '2026-03-01T10:10:00.055Z', timeZone: 'UTC', websiteId: 12, status: 'placed',
      currency: 'USD', totalValue: 50.53, returnsValue: 0,
      customer: { email: 'bob.norman@example.com', phone: '+15550100199', crmId: '207119551' },
    });
    expect(stored.products).toHaveLength(2);
    expect(stored.products[0]).toMatchObject({
      id: 'prod-11', name: 'Wireless Earbuds', price: 19.99, quantity: 2, returned: 0,
      url: 'https://shop.example/products/earbuds', imageUrl: 'https://shop.example/img/earbuds.jpg', category: 'Electronics',
    });
    const pa = stored.products[0]!.productAttributes;
    expect([attr(pa, 'sku'), attr(pa, 'variant'), attr(pa, 'variantId'), attr(pa, 'discount'), attr(pa, 'lineTotal'), attr(pa, 'tax'), attr(pa, 'taxClass'), attr(pa, 'Color')])
      .toEqual(['SKU-11', 'Black', 'var-11', '4.00', '35.98', '2.88', 'standard', 'Black']);
    const oa = stored.orderAttributes;
    expect([attr(oa, 'orderNumber'), attr(oa, 'platform'), attr(oa, 'shop'), attr(oa, 'paymentMethod'), attr(oa, 'shippingMethod'),
      attr(oa, 'discountCodes'), attr(oa, 'subtotal'), attr(oa, 'discount'), attr(oa, 'shipping'), attr(oa, 'tax'),
      attr(oa, 'taxesIncluded'), attr(oa, 'shippingCountry'), attr(oa, 'shippingCity'), attr(oa, 'Gift Wrap')])
      .toEqual(['#1001', 'shopify', 'demo.myshopify.com', 'card', 'Express', 'SPRING10', '44.98', '4.00', '5.95', '3.60', 'false', 'CA', 'Ottawa', 'Yes']);

    // updated (content and status change) → the whole order again
    const updated = usdOrder({
      status: 'paid', updatedAt: '2026-03-01T11:00:00.000Z',
      shipping: { method: 'Overnight', tracking: [{ company: 'UPS', number: '1Z999', url: 'https://ups.example/1Z999' }] },
    });
    await expertsenderStore.deliver([deliveryItem(updated, ['order.updated', 'order.paid'])], c);
    stored = sim.orders.get(ORDER_ID)!;
    expect(stored).toMatchObject({ status: 'paid', writes: 2 });
    expect([attr(stored.orderAttributes, 'shippingMethod'), attr(stored.orderAttributes, 'trackingNumber'), attr(stored.orderAttributes, 'trackingUrl')])
      .toEqual(['Overnight', '1Z999', 'https://ups.example/1Z999']);

    // delivered only → a status PUT, content untouched
    const delivered = { ...updated, status: 'fulfilled' as const };
    expect(await expertsenderStore.deliver([deliveryItem(delivered, ['order.delivered'])], c)).toEqual([
      { outcome: 'delivered', detail: `status of ${ORDER_ID} → completed` },
    ]);
    expect(sim.calls.at(-1)).toEqual({ method: 'PUT', path: '/orders/status', status: 200 });
    expect(sim.orders.get(ORDER_ID)).toMatchObject({ status: 'completed', writes: 3, totalValue: 50.53 });

    // cancelled → the whole order again: the cancel reason and the refund travel with it
    const cancelled = {
      ...updated, status: 'cancelled' as const, cancelledAt: '2026-03-02T09:00:00.000Z', cancelReason: 'customer',
      totals: { ...updated.totals, refunded: 5053 },
      refunds: [{ id: 'r1', createdAt: '2026-03-02T09:00:00.000Z', amount: 5053, reason: 'customer', lineItems: [] }],
    };
    expect(await expertsenderStore.deliver([deliveryItem(cancelled, ['order.cancelled'])], c)).toEqual([
      { outcome: 'delivered', detail: `AddOrReplace ${ORDER_ID} (canceled)` },
    ]);
    stored = sim.orders.get(ORDER_ID)!;
    expect(stored).toMatchObject({ status: 'canceled', writes: 4, totalValue: 50.53, returnsValue: 50.53 });
    expect(attr(stored.orderAttributes, 'cancelReason')).toBe('customer');

    // deleted → DELETE, the store keeps it as IsDeleted and no longer serves it
    const deleted = { ...cancelled, status: 'deleted' as const };
    expect((await expertsenderStore.deliver([deliveryItem(deleted, ['order.deleted'])], c))[0]!.outcome).toBe('delivered');
    expect(sim.calls.at(-1)).toMatchObject({ method: 'DELETE', path: `/orders/${ORDER_ID}`, status: 200 });
    expect(sim.orders.get(ORDER_ID)!.isDeleted).toBe(true);
    const read = await new ExpertSenderClient(globalThis.fetch, sim.url, 'live-key').getOrder(ORDER_ID);
    expect(read).toMatchObject({ kind: 'response', status: 404 });
  });

  it('carries JPY and KWD amounts exactly and a guest matched by phone', async () => {
    const out = await expertsenderStore.deliver(
      [deliveryItem(jpyGuestOrder(), ['order.created']), deliveryItem(kwdOrder(), ['order.created', 'order.refunded'])],
      ctx({ batchSize: 10, matchBy: 'Phone' }),
    );
    expect(out.map((o) => o.outcome)).toEqual(['delivered', 'delivered']);
    expect(sim.orders.get('4711')).toMatchObject({ totalValue: 4100, currency: 'JPY', customer: { phone: '0312345678' } });
    expect(sim.orders.get('4711')!.products[0]).toMatchObject({ name: '抹茶セット 🍵', price: 1200, category: '日本茶' });
    expect(sim.orders.get('5001')).toMatchObject({ totalValue: 25.695, returnsValue: 12.345, status: 'completed' });
    expect(sim.orders.get('5001')!.products[0]).toMatchObject({ price: 12.345, returned: 1 });
    expect(sim.calls.filter((x) => x.method === 'POST')).toHaveLength(1); // one call for both
  });

  it('falls back to AddOrReplace when a status-only change meets an order the store lacks', async () => {
    const paid = usdOrder({ status: 'paid' });
    const out = await expertsenderStore.deliver([deliveryItem(paid, ['order.paid'])], ctx());
    expect(out[0]).toMatchObject({ outcome: 'delivered' });
    expect(sim.calls.map((x) => `${x.method} ${x.path} ${x.status}`)).toEqual(['PUT /orders/status 404', 'POST /orders 201']);
    expect(sim.orders.get(ORDER_ID)).toMatchObject({ status: 'paid', products: expect.any(Array) });
  });

  it('always sends the whole order when statusUpdates is full, and for resync items', async () => {
    await expertsenderStore.deliver([deliveryItem(usdOrder(), ['order.created'])], ctx());
    await expertsenderStore.deliver([deliveryItem(usdOrder({ status: 'paid' }), ['order.paid'])], ctx({ statusUpdates: 'full' }));
    await expertsenderStore.deliver([deliveryItem(usdOrder({ status: 'cancelled' }), ['order.cancelled'], 'resync')], ctx());
    expect(sim.calls.map((x) => x.method)).toEqual(['POST', 'POST', 'POST']);
    expect(sim.orders.get(ORDER_ID)!.status).toBe('canceled');
  });

  it('treats deleting an order the store never had as done, and skips abandoned checkouts without a call', async () => {
    const out = await expertsenderStore.deliver([
      deliveryItem(usdOrder({ status: 'deleted' }), ['order.deleted']),
      deliveryItem({ ...nth(1), status: 'abandoned' }, ['checkout.abandoned']),
    ], ctx());
    expect(out[0]).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('nothing to delete') });
    expect(out[1]).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('skipped') });
    expect(sim.calls).toHaveLength(1);
  });
});

describe('batches', () => {
  it('sends settings.batchSize orders per call', async () => {
    const items = [0, 1, 2, 3, 4].map((i) => deliveryItem(nth(i), ['order.created']));
    const out = await expertsenderStore.deliver(items, ctx({ batchSize: 2 }));
    expect(out.every((o) => o.outcome === 'delivered')).toBe(true);
    expect(sim.calls.map((x) => x.method)).toEqual(['POST', 'POST', 'POST']);
    expect(sim.orders.size).toBe(5);
  });

  it('isolates an order the store refuses so the others in the call are delivered', async () => {
    // the business unit matches by e-mail; a guest with only a phone passes our checks but not the store's
    const items = [nth(0), nth(1), jpyGuestOrder(), nth(3), nth(4)].map((o) => deliveryItem(o, ['order.created']));
    const out = await expertsenderStore.deliver(items, ctx({ batchSize: 5 }));
    expect(out.map((o) => o.outcome)).toEqual(['delivered', 'delivered', 'rejected', 'delivered', 'delivered']);
    const rejected = out[2] as { outcome: 'rejected'; error: string };
    expect(rejected.error).toBe('ExpertSender 400 OrderInvalidModelState: One or more validation errors occurred. — '
      + 'See the errors property for details. — data[0].customer.email: The email field is required when customers are matched by Email.');
    expect([...sim.orders.keys()].sort()).toEqual(['1000', '1001', '1003', '1004']);
    expect(sim.calls.every((x) => x.method === 'POST')).toBe(true);
  });

  it('refuses a too-long value before sending, naming field and limit, and delivers the rest', async () => {
    const tooLong = nth(1);
    tooLong.lineItems[0]!.name = 'N'.repeat(2049);
    const out = await expertsenderStore.deliver([nth(0), tooLong, nth(2)].map((o) => deliveryItem(o, ['order.created'])), ctx({ batchSize: 10 }));
    expect(out[1]).toEqual({ outcome: 'rejected', error: 'not sent to ExpertSender: products[0].name is 2049 characters; ExpertSender allows at most 2048' });
    expect(out[0]!.outcome).toBe('delivered');
    expect(out[2]!.outcome).toBe('delivered');
    expect(sim.calls).toHaveLength(1); // the refused order never travelled
    expect(sim.orders.has('1001')).toBe(false);
  });

  it('isolates an order whose e-mail the store refuses, wherever it sits in the call', async () => {
    const badEmail = nth(2);
    badEmail.customer = { ...badEmail.customer!, email: 'no-at-sign' };
    const withLines = nth(3);
    withLines.lineItems = [line({ id: 'a', unitPrice: 100, quantity: 1 })];
    withLines.totals = { subtotal: 100, discount: 0, shipping: 0, fees: 0, tax: 0, total: 100, refunded: 0 };
    const out = await expertsenderStore.deliver([nth(0), nth(1), badEmail, withLines].map((o) => deliveryItem(o, ['order.created'])), ctx({ batchSize: 4 }));
    expect(out.map((o) => o.outcome)).toEqual(['delivered', 'delivered', 'rejected', 'delivered']);
    expect((out[2] as { error: string }).error).toContain('customer.email: The email field is not a valid e-mail address.');
  });
});

describe('failures are classified', () => {
  const one = () => [deliveryItem(usdOrder(), ['order.created'])];

  it('5xx → retry with the store text', async () => {
    sim.faults.set({ serverErrorRate: 1 });
    const [out] = await expertsenderStore.deliver(one(), ctx());
    expect(out).toMatchObject({ outcome: 'retry', error: expect.stringContaining('ExpertSender 503') });
    expect(sim.orders.size).toBe(0);
  });

  it('429 → retry with retryAfterMs from Retry-After, for every order of the call', async () => {
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 7 });
    const out = await expertsenderStore.deliver([nth(0), nth(1)].map((o) => deliveryItem(o, ['order.created'])), ctx({ batchSize: 2 }));
    expect(out).toEqual([
      { outcome: 'retry', error: expect.stringContaining('ExpertSender 429'), retryAfterMs: 7000 },
      { outcome: 'retry', error: expect.stringContaining('ExpertSender 429'), retryAfterMs: 7000 },
    ]);
  });

  it('a timeout → retry', async () => {
    sim.faults.set({ slowRate: 1, slowMs: 1_500 });
    const [out] = await expertsenderStore.deliver(one(), ctx({}, 200));
    expect(out).toEqual({ outcome: 'retry', error: 'no answer from ExpertSender: timed out' });
    expect(sim.faults.injected.slow).toBe(1);
  });

  it('a dropped connection → retry', async () => {
    sim.faults.set({ dropRate: 1 });
    const [out] = await expertsenderStore.deliver(one(), ctx());
    expect(out).toMatchObject({ outcome: 'retry', error: expect.stringContaining('network error talking to ExpertSender') });
    expect(sim.faults.injected.drop).toBe(1);
  });

  it('status PUT and DELETE failures are classified the same way', async () => {
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 2 });
    const out = await expertsenderStore.deliver([
      deliveryItem(usdOrder({ status: 'paid' }), ['order.paid']),
      deliveryItem(nth(1), ['order.deleted']),
    ], ctx());
    expect(out).toEqual([
      expect.objectContaining({ outcome: 'retry', retryAfterMs: 2000 }),
      expect.objectContaining({ outcome: 'retry', retryAfterMs: 2000 }),
    ]);
  });

  it('a wrong API key → retry with the store text (the key, not the orders, is wrong), without splitting the call', async () => {
    const c = deliveryContext(sim.url, 'wrong-key', { batchSize: 3 });
    const out = await expertsenderStore.deliver([nth(0), nth(1), nth(2)].map((o) => deliveryItem(o, ['order.created'])), c);
    for (const o of out) {
      expect(o).toEqual({ outcome: 'retry', error: 'ExpertSender 401 InvalidApiKey: Unauthorized — The x-api-key header is missing or does not hold a valid API key.' });
    }
    expect(sim.calls).toHaveLength(1);
    expect(JSON.stringify(out)).not.toContain('wrong-key');
  });
});
