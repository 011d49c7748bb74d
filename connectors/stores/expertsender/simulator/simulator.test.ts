import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startExpertSenderSimulator, type RunningExpertSenderSimulator } from './index.ts';

let sim: RunningExpertSenderSimulator;
beforeAll(async () => { sim = await startExpertSenderSimulator({ apiKey: 'k-123', maxBatch: 3 }); });
afterAll(async () => { await sim.close(); });
beforeEach(() => sim.reset());

const order = (over: Record<string, unknown> = {}) => ({
  id: 'o-1',
  date: '2024-11-06T10:10:00.055Z',
  timeZone: 'UTC',
  status: 'placed',
  currency: 'USD',
  totalValue: 150,
  returnsValue: 0,
  customer: { email: 'customer@example.com', phone: '+15551234567', crmId: '67890' },
  products: [{ id: 'p001', name: 'Wireless Earbuds', price: 75, quantity: 2, returned: 0 }],
  ...over,
});

async function call(method: string, path: string, body?: unknown, key: string | null = 'k-123') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['x-api-key'] = key;
  const res = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after'), json: text ? JSON.parse(text) : null };
}

const post = (data: unknown[], extra: Record<string, unknown> = {}) => call('POST', '/orders', { mode: 'AddOrReplace', data, ...extra });
const errorsOf = async (p: ReturnType<typeof post>) => {
  const r = await p;
  expect(r.status).toBe(400);
  expect(r.type).toBe('application/problem+json');
  return (r.json.errors as string[]).join('\n');
};

describe('ExpertSender simulator', () => {
  it('refuses a missing or wrong x-api-key with a 401 problem', async () => {
    for (const key of [null, 'wrong']) {
      const r = await call('POST', '/orders', { mode: 'AddOrReplace', data: [order()] }, key);
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ status: 401, title: 'Unauthorized', substatus: 'InvalidApiKey' });
    }
    expect(sim.orders.size).toBe(0);
  });

  it('accepts the document example (201) and reads it back with a customer id', async () => {
    const r = await call('POST', '/orders', {
      mode: 'Add',
      data: [order({ timeZone: 'Pacific Standard Time', websiteId: 1, status: 'Completed', orderAttributes: [{ name: 'Gift Wrap', value: 'Yes' }] })],
    });
    expect(r.status).toBe(201);
    const got = await call('GET', '/orders/o-1');
    expect(got.status).toBe(200);
    expect(got.json.data).toMatchObject({ id: 'o-1', status: 'completed', totalValue: 150, customer: { id: 1, email: 'customer@example.com' } });
    expect(sim.orders.get('o-1')!.writes).toBe(1);
  });

  it('names every missing required field', async () => {
    const text = await errorsOf(post([{ products: [{}] }]));
    for (const f of ['data[0].id', 'data[0].date', 'data[0].totalValue', 'data[0].customer', 'data[0].products[0].id',
      'data[0].products[0].name', 'data[0].products[0].price', 'data[0].products[0].quantity']) {
      expect(text).toContain(`${f}: `);
    }
    expect(await errorsOf(call('POST', '/orders', { data: [order()] }) as ReturnType<typeof post>)).toContain('mode: The mode field is required.');
  });

  it('enforces the documented character limits', async () => {
    const text = await errorsOf(post([order({
      id: 'i'.repeat(129),
      timeZone: 'z'.repeat(101),
      currency: 'USDX',
      customer: { email: `${'e'.repeat(315)}@x.com`, phone: '1'.repeat(21), crmId: 'c'.repeat(129) },
      products: [{
        id: 'p'.repeat(129), name: 'n'.repeat(2049), price: 1, quantity: 1,
        url: 'u'.repeat(2049), imageUrl: 'u'.repeat(2049), category: 'c'.repeat(2049),
        productAttributes: [{ name: 'a'.repeat(257), value: 'v' }, { name: '', value: 'v' }],
      }],
      orderAttributes: [{ name: 'a'.repeat(257), value: 'v' }],
    })]));
    for (const [f, max] of [['data[0].id', 128], ['data[0].timeZone', 100], ['data[0].customer.email', 320],
      ['data[0].customer.phone', 20], ['data[0].customer.crmId', 128], ['data[0].products[0].id', 128],
      ['data[0].products[0].name', 2048], ['data[0].products[0].url', 2048], ['data[0].products[0].imageUrl', 2048],
      ['data[0].products[0].category', 2048], ['data[0].products[0].productAttributes[0].name', 256],
      ['data[0].orderAttributes[0].name', 256], ['data[0].currency', 3]] as const) {
      expect(text).toContain(`${f}: The field ${f.split('.').pop()!.replace(/\[\d+\]$/, '')} must be a string with a maximum length of ${max}.`);
    }
    expect(text).toContain('data[0].products[0].productAttributes[1].name: The field name must be a string with a minimum length of 1.');
    // exactly at the limit is fine
    expect((await post([order({ id: 'i'.repeat(128), customer: { email: `${'e'.repeat(314)}@x.com` } })])).status).toBe(201);
  });

  it('checks types, dates, statuses, time zones, int32 quantities and e-mail form', async () => {
    const text = await errorsOf(post([order({
      date: '06/11/2024 10:10', status: 'shipped', timeZone: 'Mars/Olympus', totalValue: '150',
      customer: { email: 'not-an-email' },
      products: [{ id: 'p', name: 'n', price: 1, quantity: 2147483648, returned: 1.5 }],
    })]));
    expect(text).toContain("data[0].date: The value '06/11/2024 10:10' is not a valid date-time.");
    expect(text).toContain('data[0].status: The status must be one of: placed, paid, completed, canceled.');
    expect(text).toContain("data[0].timeZone: 'Mars/Olympus' is not a supported time zone.");
    expect(text).toContain('data[0].totalValue: The totalValue field must be a number.');
    expect(text).toContain('data[0].customer.email: The email field is not a valid e-mail address.');
    expect(text).toContain('data[0].products[0].quantity: The field quantity must be between 0 and 2147483647.');
    expect(text).toContain('data[0].products[0].returned: The field returned must be between 0 and 2147483647.');
    expect((await post([order({ timeZone: 'Europe/Warsaw' })])).status).toBe(201);
  });

  it('requires the customer key of the matching mode (default Email, or matchBy)', async () => {
    const phoneOnly = order({ customer: { phone: '+48221234567' } });
    expect(await errorsOf(post([phoneOnly]))).toContain('data[0].customer.email: The email field is required when customers are matched by Email.');
    expect((await post([phoneOnly], { matchBy: 'Phone' })).status).toBe(201);
    expect(await errorsOf(post([order()], { matchBy: 'Fax' }))).toContain('matchBy: The matchBy must be one of');
  });

  it('refuses more orders per call than the batch limit, and the whole call when one order is bad', async () => {
    const ids = ['a', 'b', 'c', 'd'];
    expect(await errorsOf(post(ids.map((id) => order({ id }))))).toContain('data: The field data must be an array with a maximum length of 3.');
    expect(await errorsOf(post([]))).toContain('data: The data field is required');
    expect(await errorsOf(post([order({ id: 'a' }), order({ id: 'b', products: 'none' })]))).toContain('data[1].products');
    expect(sim.orders.size).toBe(0);
    expect((await post(ids.slice(0, 3).map((id) => order({ id })))).status).toBe(201);
    expect([...sim.orders.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('keeps Add, Replace and AddOrReplace apart', async () => {
    expect((await call('POST', '/orders', { mode: 'Replace', data: [order()] })).json.substatus).toBe('OrderNotFound');
    expect((await call('POST', '/orders', { mode: 'Add', data: [order()] })).status).toBe(201);
    expect((await call('POST', '/orders', { mode: 'add', data: [order()] })).json.substatus).toBe('OrderAlreadyExists');
    expect((await call('POST', '/orders', { mode: 'Replace', data: [order({ totalValue: 99 })] })).status).toBe(201);
    expect((await post([order({ totalValue: 98 })])).status).toBe(201);
    expect(sim.orders.get('o-1')).toMatchObject({ totalValue: 98, writes: 3 });
  });

  it('changes a status with PUT /orders/status, and answers 404 for an unknown order', async () => {
    await post([order()]);
    expect((await call('PUT', '/orders/status', { orderId: 'o-1', orderStatus: 'paid' })).status).toBe(200);
    expect(sim.orders.get('o-1')!.status).toBe('paid');
    expect((await call('PUT', '/orders/status', { orderId: 'nope', orderStatus: 'paid' })).status).toBe(404);
    const bad = await call('PUT', '/orders/status', { orderId: '', orderStatus: 'lost' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.join('\n')).toContain('orderId: The field orderId must be a string with a minimum length of 1.');
    expect(bad.json.errors.join('\n')).toContain('orderStatus: The orderStatus must be one of');
  });

  it('marks an order IsDeleted on DELETE, answers 404 afterwards, and AddOrReplace brings it back', async () => {
    await post([order()]);
    const del = await call('DELETE', '/orders/o-1');
    expect(del.status).toBe(200);
    expect(del.json.data.id).toBe('o-1');
    expect(sim.orders.get('o-1')!.isDeleted).toBe(true);
    expect((await call('GET', '/orders/o-1')).status).toBe(404);
    expect((await call('DELETE', '/orders/o-1')).status).toBe(404);
    await post([order()]);
    expect(sim.orders.get('o-1')!.isDeleted).toBe(false);
  });

  it('injects 429 with Retry-After and 5xx through Faults, and rate-limits when configured', async () => {
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 4 });
    const r = await post([order()]);
    expect(r.status).toBe(429);
    expect(r.retryAfter).toBe('4');
    sim.faults.set({ throttleRate: 0, serverErrorRate: 1 });
    expect((await post([order()])).status).toBe(503);
    expect(sim.faults.injected).toMatchObject({ throttle: 1, serverError: 1 });
    sim.faults.clear();

    const limited = await startExpertSenderSimulator({ apiKey: 'k', requestsPerSecond: 1, now: () => 1_000 });
    try {
      const hit = () => fetch(`${limited.url}/orders/x`, { headers: { 'x-api-key': 'k' } });
      expect((await hit()).status).toBe(404);
      const second = await hit();
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('1');
    } finally {
      await limited.close();
    }
  });

  it('answers bad JSON and unknown routes with problems', async () => {
    const res = await fetch(`${sim.url}/orders`, { method: 'POST', headers: { 'x-api-key': 'k-123', 'content-type': 'application/json' }, body: '{' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { substatus: string }).substatus).toBe('InvalidJson');
    expect((await call('GET', '/customers')).status).toBe(404);
  });
});
