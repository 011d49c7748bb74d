// The simulator refuses what the eSputnik documents say is invalid, and accepts their own examples.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../client.ts';
import { parseFailedOrders } from '../outcome.ts';
import { startEsputnikSimulator, type RunningEsputnikSimulator } from './index.ts';

const KEY = 'sim-key';
let sim: RunningEsputnikSimulator;
let clock = 0;

beforeAll(async () => {
  sim = await startEsputnikSimulator({ apiKeys: [KEY], contacts: ['380501234567'], now: () => clock });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.reset();
  sim.state.addContact('380501234567');
  clock += 10_000;
});

async function call(method: string, path: string, body?: unknown, auth = basicAuthorization('anyone', KEY)) {
  const headers: Record<string, string> = { Authorization: auth };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${sim.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

// Seed 004's request body example, verbatim except the mangled e-mail.
const DOC_ORDER = {
  externalOrderId: '100500', externalCustomerId: '12345', totalCost: 1000, status: 'INITIALIZED',
  date: '2017-03-08T09:30:00+02:00', email: 'john@example.com', phone: '380942583691', firstName: 'John',
  lastName: 'Smith', currency: 'USD', shipping: 10, discount: 0, deliveryMethod: 'express', paymentMethod: 'cash',
  deliveryAddress: 'First str. 1',
  items: [{
    externalItemId: '200600', name: 'Super Device', category: 'devices', quantity: 1, cost: 990,
    url: 'http://example.com/item/200600', imageUrl: 'http://example.com/item/200600/image.png', description: 'High quality',
  }],
};

const failures = (r: { text: string }) => parseFailedOrders(r.text).map((f) => `${f.externalOrderId}: ${f.error}`);

describe('eSputnik simulator: auth and limits', () => {
  it('takes any user name with the API key as password, and nothing else', async () => {
    expect((await call('POST', '/v1/orders', { orders: [DOC_ORDER] }, basicAuthorization('', KEY))).status).toBe(200);
    expect((await call('POST', '/v1/orders', { orders: [DOC_ORDER] }, basicAuthorization(KEY, 'nope'))).status).toBe(401);
    expect((await call('POST', '/v1/orders', { orders: [DOC_ORDER] }, `Bearer ${KEY}`)).status).toBe(401);
    expect((await call('POST', '/v1/event', { eventTypeKey: 'x', keyValue: 'y' }, '')).status).toBe(401);
  });

  it('answers 429 with Retry-After above 200 req/s for orders, while events keep their own 350', async () => {
    for (let i = 0; i < 200; i++) expect((await call('DELETE', `/v1/orders?externalOrderId=${i}`)).status).toBe(200);
    const over = await fetch(`${sim.baseUrl}/v1/orders`, { method: 'POST', headers: { Authorization: basicAuthorization('u', KEY) } });
    expect(over.status).toBe(429);
    expect(over.headers.get('Retry-After')).toBe('1');
    const ev = { eventTypeKey: 'pageViewed', keyValue: '380501234567', params: [{ name: 'phone', value: '380501234567' }] };
    for (let i = 0; i < 350; i++) expect((await call('POST', '/v1/event', ev)).status).toBe(200);
    expect((await call('POST', '/v1/event', ev)).status).toBe(429);
    clock += 1000;
    expect((await call('POST', '/v1/event', ev)).status).toBe(200);
  });
});

describe('eSputnik simulator: v1/orders', () => {
  it("accepts the document's own example and keeps it readable", async () => {
    const r = await call('POST', '/v1/orders', { orders: [DOC_ORDER] });
    expect(r).toMatchObject({ status: 200, json: { failedOrders: [] } });
    expect(sim.orders.get('100500')).toEqual(DOC_ORDER);
  });

  it('refuses a malformed request, an empty one and more than 1000 orders with 400', async () => {
    expect((await call('POST', '/v1/orders', { order: [DOC_ORDER] })).status).toBe(400);
    expect((await call('POST', '/v1/orders', { orders: [] })).status).toBe(400);
    const many = Array.from({ length: 1001 }, (_, i) => ({ ...DOC_ORDER, externalOrderId: String(i) }));
    const r = await call('POST', '/v1/orders', { orders: many });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('maximum 1000');
    expect(sim.orders.size).toBe(0);
    const raw = await fetch(`${sim.baseUrl}/v1/orders`, {
      method: 'POST', headers: { Authorization: basicAuthorization('u', KEY), 'Content-Type': 'application/json' }, body: '{"orders": [',
    });
    expect(raw.status).toBe(400);
  });

  it('lists each invalid order in the 200 answer and stores the valid ones', async () => {
    const { externalOrderId: _id, totalCost: _t, status: _s, date: _d, currency: _c, ...rest } = DOC_ORDER;
    const r = await call('POST', '/v1/orders', {
      orders: [
        { ...rest, externalOrderId: 'missing', items: undefined },
        { ...DOC_ORDER, externalOrderId: 'nocontact', externalCustomerId: undefined, email: undefined, phone: undefined },
        { ...DOC_ORDER, externalOrderId: 'x'.repeat(101) },
        { ...DOC_ORDER, externalOrderId: 'types', totalCost: '1000', status: 'PAID', date: '08.03.2017' },
        { ...DOC_ORDER, externalOrderId: 'items', items: [{ name: 'No id', quantity: 0, cost: 'free' }] },
        { ...DOC_ORDER, externalOrderId: 'sum', totalCost: 1500 },
        { ...DOC_ORDER, externalOrderId: 'blank', items: [{ ...DOC_ORDER.items[0], url: ' ', imageUrl: '' }] },
        { ...DOC_ORDER, externalOrderId: 'ok' },
      ],
    });
    expect(r.status).toBe(200);
    expect(failures(r)).toEqual([
      'missing: totalCost is required; status must be one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED, ABANDONED_SHOPPING_CART; '
        + 'date is required as yyyy-MM-ddTHH:mm:ss with an optional offset; currency is required (ISO 4217 code)',
      'nocontact: one of externalCustomerId, email or phone is required',
      `${'x'.repeat(101)}: externalOrderId is longer than 100 characters`,
      'types: totalCost must be a number; status must be one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED, ABANDONED_SHOPPING_CART; '
        + 'date is required as yyyy-MM-ddTHH:mm:ss with an optional offset',
      'items: items[0].externalItemId is required; items[0].url is required; items[0].imageUrl is required; '
        + 'items[0].quantity must be a positive number; items[0].cost must be a number',
      'sum: sum of items cost (990.00) does not match totalCost (1500.00)',
      'blank: items[0].url is required; items[0].imageUrl is required', // required: an empty value is none
    ]);
    expect([...sim.orders.keys()]).toEqual(['ok']);
  });

  it('checks the item sum exactly in the currency precision (either reading of the rule)', async () => {
    const kwd = {
      ...DOC_ORDER, externalOrderId: 'kwd', currency: 'KWD', totalCost: 0.3, shipping: 0,
      items: [0.1, 0.1, 0.1].map((cost, i) => ({ ...DOC_ORDER.items[0]!, externalItemId: `i${i}`, cost })),
    };
    const folded = { ...DOC_ORDER, externalOrderId: 'folded', items: [{ ...DOC_ORDER.items[0]!, cost: 1000 }] };
    const r = await call('POST', '/v1/orders', { orders: [kwd, folded] });
    expect(failures(r)).toEqual([]);
  });

  it('updates by externalOrderId, deletes by query, and needs the id to delete', async () => {
    await call('POST', '/v1/orders', { orders: [DOC_ORDER] });
    await call('POST', '/v1/orders', { orders: [{ ...DOC_ORDER, status: 'DELIVERED' }] });
    expect(sim.orders.size).toBe(1);
    expect(sim.orders.get('100500')?.status).toBe('DELIVERED');
    expect((await call('DELETE', '/v1/orders')).status).toBe(400);
    expect((await call('DELETE', '/v1/orders?externalOrderId=100500')).status).toBe(200);
    expect(sim.orders.has('100500')).toBe(false);
  });
});

// Seed 003's orderCreated example, verbatim.
const DOC_EVENT = {
  eventTypeKey: 'orderCreated',
  keyValue: '380501234567',
  params: [
    { name: 'phone', value: '380501234567' },
    { name: 'externalOrderId', value: '12345679' },
    { name: 'externalCustomerId', value: 'AV13760' },
    { name: 'totalCost', value: '258.0' },
    { name: 'status', value: 'INITIALIZED' },
    { name: 'date', value: '2020-05-14T10:11:00' },
    { name: 'items', value: '[{"externalItemId":"200600","name":"Super Device","category":"devices","quantity":1,"cost":990,"url":"http:\\/\\/example.com\\/item\\/200600","imageUrl":"http:\\/\\/example.com\\/item\\/200600\\/image.png","description":"High quality"}]' },
  ],
};

describe('eSputnik simulator: v1/event', () => {
  it("applies the document's orderCreated example, items parsed from the JSON string", async () => {
    expect((await call('POST', '/v1/event', DOC_EVENT)).status).toBe(200);
    const order = sim.eventOrders.get('12345679');
    expect(order).toMatchObject({ status: 'INITIALIZED', history: ['orderCreated'], params: { totalCost: '258.0', externalCustomerId: 'AV13760' } });
    expect(order?.items).toEqual([expect.objectContaining({ externalItemId: '200600', url: 'http://example.com/item/200600' })]);
    expect(sim.events[0]?.result).toBe('applied');
    expect(sim.orders.size).toBe(0); // events never write into v1/orders
  });

  it('refuses malformed events with 400', async () => {
    expect((await call('POST', '/v1/event', { keyValue: 'k', params: [] })).status).toBe(400);
    expect((await call('POST', '/v1/event', { eventTypeKey: 'orderCreated', params: [] })).status).toBe(400);
    expect((await call('POST', '/v1/event', { ...DOC_EVENT, params: { phone: '1' } })).status).toBe(400);
    const r = await call('POST', '/v1/event', { ...DOC_EVENT, params: [{ name: 'totalCost', value: 258 }] });
    expect(r).toMatchObject({ status: 400, json: { message: 'params[0].value must be a string' } });
    expect(sim.events).toHaveLength(0);
  });

  it('ignores what the document says it ignores, answering 200', async () => {
    const without = (name: string) => ({ ...DOC_EVENT, params: DOC_EVENT.params.filter((p) => p.name !== name) });
    await call('POST', '/v1/event', without('totalCost'));
    await call('POST', '/v1/event', { ...DOC_EVENT, eventTypeKey: 'orderDelivered' });
    await call('POST', '/v1/event', { ...DOC_EVENT, eventTypeKey: 'orderCancelled' });
    await call('POST', '/v1/event', { ...DOC_EVENT, params: DOC_EVENT.params.map((p) => (p.name === 'phone' ? { ...p, value: '999' } : p)) });
    await call('POST', '/v1/event', without('phone'));
    expect(sim.events.map((e) => `${e.result}: ${e.reason}`)).toEqual([
      'ignored: missing required parameter totalCost',
      'ignored: order not found',
      'ignored: order not found',
      'ignored: contact not found',
      'ignored: no contact identifier among the params',
    ]);
    expect(sim.eventOrders.size).toBe(0);
  });

  it('creates on orderUpdated for an unknown order, then delivers and cancels a known one', async () => {
    await call('POST', '/v1/event', { ...DOC_EVENT, eventTypeKey: 'orderUpdated' });
    await call('POST', '/v1/event', { ...DOC_EVENT, eventTypeKey: 'orderDelivered', params: DOC_EVENT.params.slice(0, 2) });
    expect(sim.eventOrders.get('12345679')).toMatchObject({ status: 'DELIVERED', history: ['orderUpdated', 'orderDelivered'] });
    await call('POST', '/v1/event', { ...DOC_EVENT, eventTypeKey: 'orderCancelled', params: DOC_EVENT.params.slice(0, 2) });
    expect(sim.eventOrders.get('12345679')?.status).toBe('CANCELLED');
  });

  it('lets an order imported through v1/orders create the contact events need (e-mail case-insensitive)', async () => {
    const ev = { eventTypeKey: 'pageViewed', keyValue: 'John@Example.com', params: [{ name: 'Email', value: 'John@Example.com' }] };
    await call('POST', '/v1/event', ev);
    await call('POST', '/v1/orders', { orders: [DOC_ORDER] });
    await call('POST', '/v1/event', ev);
    expect(sim.events.map((e) => e.result)).toEqual(['ignored', 'applied']);
  });

  it('creates contacts only from the orders v1/orders accepts, and shows them in /_sim/state', async () => {
    const byPhone = { eventTypeKey: 'pageViewed', keyValue: '380671112233', params: [{ name: 'phone', value: '380671112233' }] };
    const refused = { ...DOC_ORDER, externalOrderId: 'bad', externalCustomerId: 'C-BAD', email: 'bad@example.com', phone: '380671112233', status: 'PAID' };
    await call('POST', '/v1/orders', { orders: [refused] });
    await call('POST', '/v1/event', byPhone);
    await call('POST', '/v1/orders', { orders: [{ ...refused, status: 'ABANDONED_SHOPPING_CART' }] });
    await call('POST', '/v1/event', byPhone);
    expect(sim.events.map((e) => `${e.result}: ${e.reason ?? ''}`)).toEqual(['ignored: contact not found', 'applied: ']);
    const res = await fetch(`${sim.url}/_sim/state`);
    const state = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(state)).toEqual(['orders', 'deletedOrders', 'events', 'eventOrders', 'carts', 'contacts']);
    expect(state.contacts).toEqual(['380501234567', 'C-BAD', 'bad@example.com', '380671112233']);
  });
});
