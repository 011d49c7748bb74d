import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEngageSimulator, type RunningEngageSimulator } from './index.ts';
import { KNOWN_COUNTRY_CODES } from './countries.ts';

// The document's own example order (seed 000), as a plain object.
const docExample = () => ({
  city: 'New York', country: 'USA', currency: 'USD', date_created_gmt: '2020-01-01 20:20:01+01:00',
  email: 'john@example.com', order_id: 20200101, status: 'completed', order_value: 40.0,
  line_items: [{
    line_item_product_id: 1002, line_item_price: 17.49, line_item_quantity: 1, line_item_name: 'Any name',
    line_item_sku: 'sku 123', line_item_variation_id: 1234, line_item_subtotal: 17.49, line_item_total: 17.49,
    line_item_tax_class: 'Class A', line_item_subtotal_tax: 0, line_item_total_tax: 0,
  }],
});
type Doc = Record<string, unknown>;

let sim: RunningEngageSimulator;
// The simulator's clock sits in 2020 so the document's 2020 example is inside the two-year window.
const NOW = Date.parse('2020-06-01T00:00:00Z');

beforeAll(async () => { sim = await startEngageSimulator({ now: () => NOW }); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.reset(); sim.faults.clear(); });

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Doc }> {
  const res = await fetch(`${sim.url}/v1/orders`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Doc };
}

const error = async (body: unknown) => {
  const { status, json } = await post(body);
  expect(status).toBe(400);
  expect(json.message).toBe('Order upload failed');
  return json.error as string;
};

describe('Engage simulator: auth', () => {
  it('answers 401 without a Bearer token or with a wrong one, and stores nothing', async () => {
    expect((await post(docExample(), { Authorization: '' })).status).toBe(401);
    expect((await post(docExample(), { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(docExample(), { Authorization: sim.token })).status).toBe(401);
    expect(sim.orders.size).toBe(0);
    expect(sim.stats.unauthorized).toBe(3);
  });
});

describe('Engage simulator: accepted orders', () => {
  it('accepts the document example and keeps it under its order_id', async () => {
    const { status, json } = await post(docExample());
    expect(status).toBe(200);
    expect(json).toEqual({ message: 'Order successfully added', count: 1 });
    expect(sim.orders.get('20200101')).toEqual(docExample());
  });

  it('overwrites an order resent with the same order_id', async () => {
    await post(docExample());
    await post({ ...docExample(), status: 'refunded', order_value: 0 });
    expect(sim.orders.size).toBe(1);
    expect(sim.orders.get('20200101')).toMatchObject({ status: 'refunded', order_value: 0 });
  });

  it('accepts a batch of exactly 250', async () => {
    const batch = Array.from({ length: 250 }, (_, i) => ({ ...docExample(), order_id: i + 1 }));
    expect((await post(batch)).status).toBe(200);
    expect(sim.orders.size).toBe(250);
    expect(sim.stats.batchSizes).toEqual([250]);
  });

  it('keeps an order_id beyond 2^53 exact and reads it back as a raw integer', async () => {
    const body = JSON.stringify(docExample()).replace('"order_id":20200101', '"order_id":820982911946154508');
    expect((await post(body)).status).toBe(200);
    expect(sim.orders.get('820982911946154508')?.order_id).toBe(820982911946154508n);
    const back = await (await fetch(`${sim.url}/_sim/orders/820982911946154508`)).text();
    expect(back).toContain('"order_id":820982911946154508');
  });

  it('accepts the country as "US", "USA" or "United States"', async () => {
    for (const [i, country] of ['US', 'USA', 'United States', 'united states', 'SE', 'Sweden'].entries()) {
      expect((await post({ ...docExample(), order_id: i, country })).status).toBe(200);
    }
    expect(KNOWN_COUNTRY_CODES).toBe(250);
  });

  it('accepts every documented date format', async () => {
    const formats = [
      '2020-01-01 04:23:01+04:00', '2020-01-01 04:23:01.000384', '2020-01-01 04:23:01',
      '2020-01-01T04:23:01+04:00', '2020-01-01T04:23:01.000384', '2020-01-01T04:23:01',
      '2020-01-01', '2020-01-01T04', '2020-01-01T04:23', '2020-01-01T04:23:01.123-05:30',
    ];
    for (const [i, date] of formats.entries()) {
      const { status, json } = await post({ ...docExample(), order_id: i, date_created_gmt: date, date_modified_gmt: date });
      expect({ date, status, json }).toMatchObject({ date, status: 200 });
    }
  });
});

describe('Engage simulator: refusals', () => {
  it('requires each required field by name', async () => {
    for (const field of ['city', 'country', 'currency', 'date_created_gmt', 'email', 'order_id', 'status', 'order_value', 'line_items']) {
      const order: Doc = docExample();
      delete order[field];
      expect(await error(order)).toBe(`${field}: required`);
    }
    for (const field of ['line_item_product_id', 'line_item_price', 'line_item_quantity']) {
      const order = docExample();
      delete (order.line_items[0] as Doc)[field];
      expect(await error(order)).toBe(`line_items[0].${field}: required`);
    }
    expect(await error({ ...docExample(), city: '' })).toBe('city: required');
    expect(await error({ ...docExample(), line_items: [] })).toBe('line_items: at least one line item is required');
    expect(sim.orders.size).toBe(0);
  });

  it('checks types: integer order_id, number order_value, integer quantity, strings', async () => {
    expect(await error({ ...docExample(), order_id: '20200101' })).toBe('order_id: must be an integer');
    expect(await error({ ...docExample(), order_id: 1.5 })).toBe('order_id: must be an integer');
    expect(await error({ ...docExample(), order_id: -3 })).toBe('order_id: out of range');
    expect(await error({ ...docExample(), order_value: '40.00' })).toBe('order_value: must be a number');
    expect(await error({ ...docExample(), first_name: 7 })).toBe('first_name: must be a string');
    const line = { ...docExample().line_items[0]!, line_item_quantity: 1.5 };
    expect(await error({ ...docExample(), line_items: [line] })).toBe('line_items[0].line_item_quantity: must be a non-negative integer');
    const body = JSON.stringify(docExample()).replace('"order_id":20200101', '"order_id":9223372036854775808');
    expect(await error(body)).toBe('order_id: out of range');
  });

  it('refuses dates outside the documented formats, impossible dates and orders over 2 years old', async () => {
    for (const date of ['2020-01-01T04:23:01Z', '01/02/2020', '2020-13-01', '2019-02-29', '2020-01-01T24:00:00', '2020-1-1']) {
      expect(await error({ ...docExample(), date_created_gmt: date })).toContain('is not in an accepted date format');
    }
    expect(await error({ ...docExample(), completion_date_gmt: 'yesterday' })).toContain('completion_date_gmt');
    expect(await error({ ...docExample(), date_created_gmt: '2018-05-01 00:00:00' })).toContain('more than 2 years ago');
  });

  it('refuses unknown countries, currencies and malformed e-mail addresses', async () => {
    expect(await error({ ...docExample(), country: 'Atlantis' })).toContain('country: "Atlantis" is not a country');
    expect(await error({ ...docExample(), country: 'XX' })).toContain('country: "XX"');
    expect(await error({ ...docExample(), currency: 'ABC' })).toBe('currency: "ABC" is not an ISO 4217 code');
    expect(await error({ ...docExample(), email: 'not-an-email' })).toBe('email: "not-an-email" is not an e-mail address');
  });

  it('refuses a batch over 250 and an empty batch', async () => {
    const batch = Array.from({ length: 251 }, (_, i) => ({ ...docExample(), order_id: i + 1 }));
    expect(await error(batch)).toBe('a batch holds at most 250 orders (got 251)');
    expect(await error([])).toBe('no orders in the batch');
    expect(sim.orders.size).toBe(0);
  });

  it('refuses a whole batch when one order in it is bad, naming it', async () => {
    const batch = [docExample(), { ...docExample(), order_id: 2, email: '' }, { ...docExample(), order_id: 3 }];
    expect(await error(batch)).toBe('orders[1].email: required');
    expect(sim.orders.size).toBe(0);
  });

  it('refuses bodies that are not JSON, or not sent as JSON', async () => {
    expect(await error('{"city":')).toBe('body is not valid JSON');
    const { status, json } = await post(docExample(), { 'Content-Type': 'text/plain' });
    expect(status).toBe(400);
    expect(json.error).toBe('Content-Type must be application/json');
  });
});

describe('Engage simulator: faults', () => {
  it('injects 503 and 429 with Retry-After, and counts them', async () => {
    sim.faults.set({ serverErrorRate: 1 });
    expect((await post(docExample())).status).toBe(503);
    sim.faults.set({ serverErrorRate: 0, throttleRate: 1, retryAfterSeconds: 3 });
    const res = await fetch(`${sim.url}/v1/orders`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(sim.faults.injected).toMatchObject({ serverError: 1, throttle: 1 });
    expect(sim.orders.size).toBe(0);
  });
});
