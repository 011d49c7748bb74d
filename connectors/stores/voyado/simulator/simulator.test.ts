import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalOrder } from '../../../../mappings/stores/voyado/fixtures.ts';
import { mapOrderToVoyado, type VoyadoOrder } from '../../../../mappings/stores/voyado/index.ts';
import { startVoyadoSimulator, VOYADO_SIM_RATE_LIMIT, type RunningVoyadoSimulator } from './index.ts';
import { fixtureOrder } from '../../../../test/support/fixtureOrders.ts';

let sim: RunningVoyadoSimulator;
beforeAll(async () => { sim = await startVoyadoSimulator({ processAfterMs: null, pendingPolls: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.reset(); sim.faults.clear(); });

function valid(id = '8001'): VoyadoOrder {
  const mapped = mapOrderToVoyado(canonicalOrder({ id }));
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.order;
}

const HEADERS = () => ({ apikey: sim.apiKey, 'User-Agent': 'sim-test/1', 'Content-Type': 'application/json' });

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = HEADERS()) {
  const res = await fetch(sim.baseUrl + path, {
    method, headers, redirect: 'manual', ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function created(order: VoyadoOrder): Promise<string> {
  const res = await call('POST', '/orders', order);
  expect(res.status).toBe(202);
  expect((await call('GET', `/orders/jobs/${res.body.jobId}`)).status).toBe(302);
  return res.body.jobId;
}

describe('Voyado simulator: authentication and headers', () => {
  it('answers 401 without or with a wrong apikey', async () => {
    const { apikey: _, ...noKey } = HEADERS();
    expect((await call('POST', '/orders', valid(), noKey)).body).toMatchObject({ status: 401, detail: 'The apikey header is missing.' });
    expect((await call('POST', '/orders', valid(), { ...HEADERS(), apikey: 'nope' })).status).toBe(401);
    expect(sim.stats.unauthorized).toBe(2);
    expect(sim.orders.size).toBe(0);
  });

  it('requires a User-Agent', async () => {
    // node:http sends no User-Agent of its own (fetch always does).
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${sim.baseUrl}/orders/8001`, { method: 'GET', headers: { apikey: sim.apiKey } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  it('answers 415 for a body that is not JSON and 400 for malformed JSON', async () => {
    expect((await call('POST', '/orders', valid(), { ...HEADERS(), 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await call('POST', '/orders', '{"orderId":')).status).toBe(400);
  });

  it('answers 429 with Retry-After above 200 requests per second per API key', async () => {
    const clocked = await startVoyadoSimulator({ processAfterMs: null, now: () => 1_000 }); // every request in one second
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= VOYADO_SIM_RATE_LIMIT; i++) {
        const res = await fetch(`${clocked.baseUrl}/orders/none`, { headers: { apikey: clocked.apiKey, 'User-Agent': 't/1' } });
        statuses.push(res.status);
        if (res.status === 429) expect(res.headers.get('retry-after')).toBe('1');
      }
      expect(statuses.filter((s) => s === 404)).toHaveLength(VOYADO_SIM_RATE_LIMIT);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await clocked.close();
    }
  });
});

describe('Voyado simulator: order format', () => {
  it('accepts a valid order with 202, a jobId and a Location to poll, and keeps it readable', async () => {
    const res = await call('POST', '/orders', valid());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ jobId: 'job-000001', status: 'Accepted', orderId: '8001', href: `${sim.baseUrl}/orders/jobs/job-000001` });
    expect(res.headers.get('location')).toBe(`${sim.baseUrl}/orders/jobs/job-000001`);
    const job = await call('GET', '/orders/jobs/job-000001');
    expect(job.status).toBe(302);
    expect(job.headers.get('location')).toBe(`${sim.baseUrl}/orders/8001`);
    const order = await call('GET', '/orders/8001');
    expect(order.body).toMatchObject({ orderId: '8001', versionTag: expect.any(String) });
  });

  it('lists every missing required field', async () => {
    const res = await call('POST', '/orders', {});
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(
      ['contact', 'createdAt', 'currencyCode', 'externalStoreId', 'lineItems', 'orderId', 'status'],
    );
  });

  it('takes one order per request: an array is refused', async () => {
    const res = await call('POST', '/orders', [valid('1'), valid('2')]);
    expect(res.status).toBe(400);
    expect(res.body.errors.$).toEqual(['Must be an object.']);
  });

  it('refuses over-long fields, unknown fields, wrong enums, zone-less dates and bad sums', async () => {
    const o = valid();
    const bad = {
      ...o,
      orderId: 'x'.repeat(101),
      status: 'Shipped',
      createdAt: '2026-03-01T10:20:30',
      contact: { matchKey: 'ada@example.com', matchKeyType: 'Mail' },
      lineItems: { ...o.lineItems, subTotal: o.lineItems.subTotal + 1 },
      surprise: true,
    };
    const res = await call('POST', '/orders', bad);
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({
      orderId: ['Must be at most 100 characters (got 101).'],
      status: [expect.stringContaining('InProgress, Completed, Cancelled')],
      createdAt: [expect.stringContaining('with a zone')],
      'contact.matchKeyType': [expect.stringContaining('Email')],
      'lineItems.subTotal': [expect.stringContaining('sum')],
      surprise: ['Unknown field.'],
    });
  });

  it('refuses an order that does not add up: payments.total is the lines, the fees and, before tax, every taxAmount', async () => {
    const mapped = mapOrderToVoyado(fixtureOrder('shopify/order-eur-shipping-vat-gift-card.json'));
    if (!mapped.ok) throw new Error(mapped.reason);
    const o = mapped.order;
    expect(o.fees?.items[0]?.taxAmount).toBe(1.99);
    const { taxAmount: _shippingVat, ...untaxedShipping } = o.fees!.items[0]!;
    const res = await call('POST', '/orders', { ...o, fees: { ...o.fees!, items: [untaxedShipping] } });
    expect(res.status).toBe(400);
    expect(res.body.errors['payments.total']).toEqual([expect.stringContaining('every taxAmount')]);
    expect((await call('POST', '/orders', o)).status).toBe(202);
  });

  it('refuses more decimals than the currency has', async () => {
    const o = { ...valid(), currencyCode: 'JPY' };
    const res = await call('POST', '/orders', o);
    expect(res.status).toBe(400);
    expect(res.body.errors['lineItems.items[0].unitPrice']).toEqual(['At most 0 decimals for this currency.']);
  });

  it('answers 409 "Order already exists" for a second create, 404 for a PUT/DELETE of an unknown order', async () => {
    await created(valid());
    expect((await call('POST', '/orders', valid())).body).toMatchObject({ status: 409, title: 'Order already exists' });
    expect((await call('PUT', '/orders/9999', { ...valid('9999') })).status).toBe(404);
    expect((await call('PUT', '/orders/8001', { ...valid('8002') })).body.errors.orderId).toEqual(['Must match the orderId in the path.']);
    expect((await call('DELETE', '/orders/9999')).status).toBe(404);
    expect((await call('GET', '/orders/jobs/job-424242')).status).toBe(404);
  });

  it('validates change-status and change-delivery bodies', async () => {
    await created(valid());
    expect((await call('POST', '/orders/8001/change-status', { status: 'Done' })).body.errors).toMatchObject({
      status: [expect.any(String)], lastChangedAt: [expect.any(String)],
    });
    expect((await call('POST', '/orders/8001/change-delivery', { lastChangedAt: '2026-03-02T00:00:00Z' })).status).toBe(400);
    expect((await call('POST', '/orders/8001/change-delivery', { trackingUri: 'ftp://x', lastChangedAt: '2026-03-02T00:00:00Z' })).status).toBe(400);
    const ok = await call('POST', '/orders/8001/change-status', { status: 'Completed', externalStatus: 'Shipped', lastChangedAt: '2026-03-02T00:00:00Z' });
    expect(ok.status).toBe(202);
    await call('GET', `/orders/jobs/${ok.body.jobId}`);
    expect(sim.orders.get('8001')).toMatchObject({ status: 'Completed', externalStatus: 'Shipped', lastChangedAt: '2026-03-02T00:00:00Z' });
  });
});

describe('Voyado simulator: actions', () => {
  it('needs the current versionTag (404 when stale) and a contact (422)', async () => {
    await created(valid());
    const { versionTag } = (await call('GET', '/orders/8001')).body;
    expect((await call('POST', '/orders/8001/action', { action: 'ConfirmOrder' })).status).toBe(400);
    expect((await call('POST', '/orders/8001/action', { action: 'ConfirmOrder', versionTag: 'stale' })).body)
      .toMatchObject({ status: 404, detail: 'Order not found or VersionTag did not match the order.' });
    expect((await call('POST', '/orders/8001/action', { action: 'ConfirmOrder', versionTag, language: 'sv-SE', data: { a: '1' } })).status).toBe(202);
    expect(sim.storage.actions).toEqual([{ orderId: '8001', action: 'ConfirmOrder', language: 'sv-SE', data: { a: '1' }, via: 'endpoint' }]);

    sim.storage.missingContacts.add('ada@example.com');
    const job = (await call('POST', '/orders', valid('8002'))).body.jobId;
    expect((await call('GET', `/orders/jobs/${job}`)).body).toMatchObject({ status: 'CompletedWithErrors', errors: [{ code: 'ContactNotFound' }] });
    const tag = (await call('GET', '/orders/8002')).body.versionTag;
    expect((await call('POST', '/orders/8002/action', { action: 'ConfirmOrder', versionTag: tag })).body).toMatchObject({ status: 422, detail: 'Order has no contact.' });

    // Seed: such an order must be deleted and registered again; a replace, even once the contact exists, leaves it contactless.
    sim.storage.missingContacts.delete('ada@example.com');
    const replaced = (await call('PUT', '/orders/8002', valid('8002'))).body.jobId;
    expect((await call('GET', `/orders/jobs/${replaced}`)).body).toMatchObject({ status: 'CompletedWithErrors', errors: [{ code: 'ContactNotConnected' }] });
    const deleted = (await call('DELETE', '/orders/8002')).body.jobId;
    expect((await call('GET', `/orders/jobs/${deleted}`)).body).toMatchObject({ status: 'Completed' });
    const again = (await call('POST', '/orders', valid('8002'))).body.jobId;
    expect((await call('GET', `/orders/jobs/${again}`)).status).toBe(302);
    expect(sim.storage.orders.get('8002')).toMatchObject({ hasContact: true });
  });

  it('processes jobs in the background for users who never poll', async () => {
    const bg = await startVoyadoSimulator({ processAfterMs: 5 });
    try {
      const res = await fetch(`${bg.baseUrl}/orders`, { method: 'POST', headers: { apikey: bg.apiKey, 'User-Agent': 't/1', 'Content-Type': 'application/json' }, body: JSON.stringify(valid()) });
      expect(res.status).toBe(202);
      await expect.poll(() => bg.orders.get('8001'), { timeout: 2_000 }).toBeDefined();
    } finally {
      await bg.close();
    }
  });

  it('marks a contact missing and, once "created in Engage", present again over /_sim', async () => {
    const mark = await fetch(`${sim.url}/_sim/contacts/missing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ matchKey: 'ada@example.com' }) });
    expect(mark.status).toBe(204);
    const first = await call('POST', '/orders', valid('8101'));
    const job = await call('GET', `/orders/jobs/${first.body.jobId}`);
    expect(JSON.stringify(job.body)).toMatch(/CompletedWithErrors/);
    expect((await fetch(`${sim.url}/_sim/contacts/missing/${encodeURIComponent('ada@example.com')}`, { method: 'DELETE' })).status).toBe(204);
    const second = await call('POST', '/orders', valid('8102'));
    expect((await call('GET', `/orders/jobs/${second.body.jobId}`)).status).toBe(302);
    expect(sim.storage.missingContacts.size).toBe(0);
  });
});
