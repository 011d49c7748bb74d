import { describe, expect, it } from 'vitest';
import { canonicalOrder } from '../../../mappings/stores/voyado/fixtures.ts';
import { mapOrderToVoyado } from '../../../mappings/stores/voyado/index.ts';
import { VoyadoSettings, voyadoStore } from './index.ts';
import { startVoyadoSimulator } from './simulator/index.ts';
import { item, sharedSimulator, shipped, testContext } from './testSupport.ts';

const { sim, deliver } = sharedSimulator();

describe('voyadoStore definition', () => {
  it('speaks to the tenant URL, one order per request (16 to a deliver call), under 50 req/s', () => {
    expect(VoyadoSettings.parse({ tenant: 'mybrand' }).baseUrl).toBe('https://mybrand.voyado.com/api/v3');
    expect(VoyadoSettings.safeParse({}).success).toBe(false);
    expect(VoyadoSettings.parse(VoyadoSettings.parse({ tenant: 'mybrand' }))).toEqual(VoyadoSettings.parse({ tenant: 'mybrand' }));
    expect(voyadoStore).toMatchObject({ kind: 'voyado', batchSize: 16, requestsPerSecond: 50 });
    const settings = VoyadoSettings.parse({ tenant: 'mybrand' });
    const group = voyadoStore.rateGroup!(settings, 'secret-key-1');
    expect(group).not.toContain('secret-key-1');
    expect(voyadoStore.rateGroup!(settings, 'secret-key-1')).toBe(group);
    expect(voyadoStore.rateGroup!(settings, 'secret-key-2')).not.toBe(group);
  });
});

describe('Voyado delivery: an order through its life (README mapping table)', () => {
  it('creates, updates, ships, cancels and deletes; the simulator holds the right state each time', async () => {
    const created = canonicalOrder({ id: '5001', status: 'placed', lines: [[1749, 2, 349], [500, 1]], shipping: 4900 }, {
      discountCodes: ['SPRING'], paymentMethod: 'Klarna', platformStatus: 'pending',
    });
    const [first] = await deliver([item(created, ['order.created'])]);
    expect(first).toEqual({ outcome: 'delivered', detail: expect.stringContaining('created order 5001 (job job-000001 Completed)') });
    expect(sim().orders.get('5001')).toEqual({
      orderId: '5001', // source.orderId (with orderIdPrefix)
      contact: { matchKey: 'ada@example.com', matchKeyType: 'Email' }, // customer.email, lower-cased
      externalStoreId: 'demo.myshopify.com', // settings.externalStoreId ?? source.shop
      status: 'InProgress', // status placed
      externalStatus: 'pending', // platformStatus ?? status
      currencyCode: 'SEK', // currency
      channel: 'Ecom', // settings.channel
      createdAt: '2026-03-01T10:20:30.123Z', // createdAt
      lastChangedAt: '2026-03-01T11:00:00.000Z', // updatedAt
      lineItems: {
        items: [
          { id: 'li-1', sku: 'SKU-1', productId: '1002', variantId: '2002', name: 'Product 1', quantity: 2, unitPrice: 17.49, grossAmount: 34.98, discountAmount: 3.49, totalAmount: 31.49, taxAmount: 0 },
          { id: 'li-2', sku: 'SKU-2', productId: '1003', variantId: '2003', name: 'Product 2', quantity: 1, unitPrice: 5, grossAmount: 5, discountAmount: 0, totalAmount: 5, taxAmount: 0 },
        ],
        subTotal: 36.49, // Σ lineItems.total
      },
      payments: { items: [{ method: 'Klarna', amount: 85.49 }], total: 85.49 }, // paymentMethod, totals.total
      fees: { items: [{ type: 'Shipping', amount: 49 }], total: 49 }, // totals.shipping (+ fees)
      discounts: { items: [{ code: 'SPRING' }], total: 3.49 }, // discountCodes, Σ lineItems.discount
      billingAddress: {
        firstname: 'Ada', lastname: 'Lovelace', street: 'Drottninggatan 1', zipCode: '111 51', city: 'Stockholm',
        countryCode: 'SE', phone: '+46 70 123 45 67', email: 'Ada@Example.com',
      },
    });
    expect(sim().storage.actions).toEqual([
      { orderId: '5001', action: 'ConfirmOrder', language: 'sv-SE', data: { step: 'created', orderId: '5001', orderNumber: '#1001' }, via: 'embedded', jobKind: 'create' },
    ]);

    const updated = canonicalOrder({ id: '5001', lines: [[1749, 3]] }, { updatedAt: '2026-03-01T12:00:00.000Z', platformStatus: 'processing' });
    expect((await deliver([item(updated, ['order.updated', 'order.paid'])]))[0]).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('replaced order 5001') });
    expect(sim().orders.get('5001')).toMatchObject({
      status: 'InProgress', externalStatus: 'processing', lastChangedAt: '2026-03-01T12:00:00.000Z',
      lineItems: { items: [{ sku: 'SKU-1', quantity: 3, totalAmount: 52.47 }], subTotal: 52.47 },
      payments: { total: 52.47 },
    });
    expect(sim().orders.get('5001')).not.toHaveProperty('fees');
    expect(sim().storage.actions).toHaveLength(1); // a content change sends no action

    sim().stats.calls.length = 0;
    expect((await deliver([item(shipped('5001'), ['order.fulfilled'])]))[0]).toMatchObject({ outcome: 'delivered' });
    expect(sim().stats.calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /orders/5001/change-delivery', 'POST /orders/5001/change-status']);
    expect(sim().orders.get('5001')).toMatchObject({
      status: 'InProgress', externalStatus: 'fulfilled', lastChangedAt: '2026-03-02T08:00:00.000Z',
      delivery: { method: 'DHL Express', trackingNumber: 'JD014600', trackingUri: 'https://dhl.example/JD014600' }, // shipping.method, newest tracking
      lineItems: { subTotal: 52.47 }, // untouched by a status-only change
    });
    expect(sim().storage.actions.at(-1)).toMatchObject({ action: 'ConfirmShipment', via: 'embedded', jobKind: 'change-status', data: { trackingNumber: 'JD014600' } });

    const cancelled = canonicalOrder({ id: '5001', status: 'cancelled' }, { updatedAt: '2026-03-03T09:00:00.000Z', cancelReason: 'customer' });
    expect((await deliver([item(cancelled, ['order.cancelled'])]))[0]).toMatchObject({ outcome: 'delivered' });
    expect(sim().orders.get('5001')).toMatchObject({ status: 'Cancelled', externalStatus: 'cancelled', lastChangedAt: '2026-03-03T09:00:00.000Z' });
    expect(sim().storage.actions.at(-1)).toMatchObject({ action: 'ConfirmCancellation', data: { cancelReason: 'customer' } });

    expect((await deliver([item(cancelled, ['order.deleted'])]))[0]).toEqual({ outcome: 'delivered', detail: expect.stringContaining('deleted order 5001') });
    expect(sim().orders.get('5001')).toBeUndefined();
    expect((await deliver([item(cancelled, ['order.deleted'])]))[0]).toEqual({ outcome: 'delivered', detail: 'order 5001 already absent in Voyado' });
  });

  it('polls the job with ctx.sleep between polls: 202 → Pending → Completed (302 to the order)', async () => {
    const ctx = testContext(sim());
    await deliver([item(canonicalOrder({ id: '5002' }), ['order.created'])], ctx);
    expect(sim().stats.calls).toEqual(['POST /orders', 'GET /orders/jobs/job-000001', 'GET /orders/jobs/job-000001']);
    expect(ctx.sleeps).toEqual([25, 25]);
  });

  it('reads a 200 {status: "Completed"} job answer as well as the redirect', async () => {
    const other = await startVoyadoSimulator({ processAfterMs: null, completedAs: 'status', pendingPolls: 3 });
    try {
      const ctx = testContext(other);
      const [outcome] = await voyadoStore.deliver([item(canonicalOrder({ id: '5003' }), ['order.created'])], ctx);
      expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('job job-000001 Completed') });
      expect(ctx.sleeps).toHaveLength(4);
      expect(other.orders.get('5003')).toBeDefined();
    } finally {
      await other.close();
    }
  });
});

describe('Voyado delivery: already exists, stale versionTag, contacts', () => {
  it('replaces when POST answers 409 "Order already exists"', async () => {
    await deliver([item(canonicalOrder({ id: '6001' }), ['order.created'])]);
    sim().stats.calls.length = 0;
    const again = canonicalOrder({ id: '6001', lines: [[999, 1]] });
    const [outcome] = await deliver([item(again, ['order.created'])]);
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('replaced order 6001') });
    expect(sim().stats.calls.filter((c) => !c.startsWith('GET'))).toEqual(['POST /orders', 'PUT /orders/6001']);
    expect(sim().orders.get('6001')).toMatchObject({ lineItems: { subTotal: 9.99 } });
  });

  it('replaces when the job reports 409 because another request created the order first', async () => {
    const mine = canonicalOrder({ id: '6002', lines: [[200, 2]] });
    const { outcome, calls } = await raceAndDeliver(mine, testContext(sim(), { settings: { jobMaxPolls: 3 } }));
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('replaced order 6002') });
    expect(calls).toEqual([
      'POST /orders', 'GET /orders/jobs/job-000002', 'GET /orders/jobs/job-000002', // Pending, then 409 Order already exists
      'PUT /orders/6002', 'GET /orders/jobs/job-000003', 'GET /orders/jobs/job-000003',
    ]);
    expect(sim().orders.get('6002')).toMatchObject({ lineItems: { subTotal: 4 } });
  });

  it('refetches the order once when the versionTag went stale, then sends the action', async () => {
    await deliver([item(shipped('6003'), ['order.created'])], testContext(sim(), { settings: { actionsEnabled: false } }));
    sim().stats.calls.length = 0;
    sim().staleAfterNextRead('6003');
    const [outcome] = await deliver([item(shipped('6003', 'completed'), ['order.updated', 'order.fulfilled'])]);
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('action ConfirmCompletion (after refetching a stale versionTag)') });
    expect(sim().stats.calls.filter((c) => !c.includes('/jobs/'))).toEqual([
      'PUT /orders/6003', 'GET /orders/6003', 'POST /orders/6003/action', 'GET /orders/6003', 'POST /orders/6003/action',
    ]);
    expect(sim().storage.actions.map((a) => [a.action, a.via])).toEqual([['ConfirmShipment', 'embedded'], ['ConfirmCompletion', 'endpoint']]);
  });

  it('sends each lifecycle event its configured action: created, fulfilled, delivered, cancelled, completed', async () => {
    const ctx = testContext(sim());
    await deliver([item(canonicalOrder({ id: '6004' }), ['order.created'])], ctx);
    await deliver([item(shipped('6004'), ['order.fulfilled'])], ctx);
    await deliver([item(shipped('6004'), ['order.delivered'])], ctx);
    await deliver([item(shipped('6004', 'completed'), ['order.delivered'])], ctx);
    await deliver([item(canonicalOrder({ id: '6004', status: 'cancelled' }), ['order.cancelled'])], ctx);
    expect(sim().storage.actions.map((a) => a.action)).toEqual([
      'ConfirmOrder', 'ConfirmShipment', 'ConfirmDelivery', 'ConfirmDelivery', 'ConfirmCompletion', 'ConfirmCancellation',
    ]);
    expect(sim().storage.actions.filter((a) => a.via === 'embedded')).toHaveLength(5);

    sim().reset();
    const quiet = testContext(sim(), { settings: { actions: { created: null, fulfilled: 'Custom' } } });
    await deliver([item(canonicalOrder({ id: '6005' }), ['order.created'])], quiet);
    await deliver([item(shipped('6005'), ['order.fulfilled'])], quiet);
    expect(sim().storage.actions.map((a) => a.action)).toEqual(['Custom']);
  });

  it('sends no action for a resync item, whatever its events', async () => {
    const [outcome] = await deliver([item(shipped('6006', 'completed'), ['order.created', 'order.fulfilled'], 'resync')]);
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.not.stringContaining('action') });
    expect(sim().orders.get('6006')).toMatchObject({ status: 'Completed' });
    expect(sim().orders.get('6006')).not.toHaveProperty('orderAction');
    expect(sim().storage.actions).toEqual([]);
    expect(sim().stats.calls.some((c) => c.endsWith('/action'))).toBe(false);
  });

  it('creates the order whole when a status-only change finds it unknown to Voyado', async () => {
    const [outcome] = await deliver([item(shipped('6007'), ['order.fulfilled'])]);
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('order unknown to Voyado on change-delivery; created order 6007') });
    expect(sim().orders.get('6007')).toMatchObject({ delivery: { trackingNumber: 'JD014600' }, lineItems: { subTotal: 39.98 } });
    expect(sim().storage.actions.map((a) => a.action)).toEqual(['ConfirmShipment']);
  });

  it('deletes an order stored without its contact (CompletedWithErrors) and rejects it; once the contact exists, a replay creates it', async () => {
    sim().storage.missingContacts.add('ada@example.com');
    const order = shipped('6008', 'completed');
    const [outcome] = await deliver([item(order, ['order.created', 'order.fulfilled'])]);
    expect(outcome).toEqual({
      outcome: 'rejected',
      error: expect.stringMatching(/completed with errors.*ContactNotFound.*the order was deleted again, as Voyado asks; create the contact in Engage, then replay/),
    });
    // Seed: "delete the order and create the contact first. Then you can try registering the order again."
    expect(sim().orders.get('6008')).toBeUndefined();
    expect(sim().storage.actions).toEqual([]);

    sim().storage.missingContacts.delete('ada@example.com');
    const [replayed] = await deliver([item(order, ['order.created', 'order.fulfilled'], 'replay')]);
    expect(replayed).toEqual({ outcome: 'delivered', detail: expect.stringMatching(/^created order 6008 \(job \S+ Completed\)$/) });
    expect(sim().storage.orders.get('6008')).toMatchObject({ hasContact: true, order: { status: 'Completed' } });
  });

  it('rejects a separate action that Voyado refuses with 422 (an order without a contact)', async () => {
    // Stored contactless by another writer (a direct create, bypassing our delete-on-CompletedWithErrors).
    sim().storage.missingContacts.add('ada@example.com');
    const theirs = mapOrderToVoyado(canonicalOrder({ id: '6010' }));
    if (!theirs.ok) throw new Error(theirs.reason);
    const res = await fetch(`${sim().baseUrl}/orders`, {
      method: 'POST', headers: { apikey: sim().apiKey, 'User-Agent': 'other/1', 'Content-Type': 'application/json' }, body: JSON.stringify(theirs.order),
    });
    expect(res.status).toBe(202);
    sim().storage.processAll();
    expect(sim().storage.orders.get('6010')).toMatchObject({ hasContact: false });

    const [outcome] = await deliver([item(shipped('6010'), ['order.fulfilled', 'order.delivered'])]);
    expect(outcome).toEqual({ outcome: 'rejected', error: expect.stringMatching(/action → 422.*Order has no contact.*ConfirmDelivery needs a contact/) });
  });

  it('rejects locally an order with nothing to match a contact, without calling Voyado', async () => {
    const [outcome] = await deliver([item(canonicalOrder({ id: '6009' }, { customer: null, billingAddress: null }), ['order.created'])]);
    expect(outcome).toEqual({ outcome: 'rejected', error: expect.stringContaining('not sent to Voyado: no Email / MobilePhone') });
    expect(sim().stats.requests).toBe(0);
  });
});

/** Another writer's create of the same order is accepted but not processed yet, so ours is accepted too. */
async function raceAndDeliver(order: ReturnType<typeof canonicalOrder>, ctx: ReturnType<typeof testContext>) {
  const theirs = mapOrderToVoyado(canonicalOrder({ id: order.source.orderId, lines: [[100, 1]] }));
  if (!theirs.ok) throw new Error(theirs.reason);
  const res = await fetch(`${sim().baseUrl}/orders`, {
    method: 'POST', headers: { apikey: sim().apiKey, 'User-Agent': 'racer/1', 'Content-Type': 'application/json' }, body: JSON.stringify(theirs.order),
  });
  expect(res.status).toBe(202);
  sim().stats.calls.length = 0;
  const [outcome] = await voyadoStore.deliver([item(order, ['order.created'])], ctx);
  return { outcome, calls: [...sim().stats.calls] };
}
