// The preparation thread: stores' parse-map-encode on a worker thread gives exactly what the store's
// own deliver would have prepared inline, and the engine delivers what it prepared.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngageSettings } from '../connectors/stores/engage/settings.ts';
import { prepareEngageOrder } from '../connectors/stores/engage/prepare.ts';
import { ENGAGE_SIM_DEFAULT_TOKEN, startEngageSimulator, type RunningEngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { esputnikOrdersSettings } from '../connectors/stores/esputnik/settings.ts';
import { addOrdersBody } from '../connectors/stores/esputnik/client.ts';
import { prepareEsputnikOrder } from '../connectors/stores/esputnik/prepare.ts';
import { postOrdersBody } from '../connectors/stores/expertsender/client.ts';
import { prepareExpertSender } from '../connectors/stores/expertsender/prepare.ts';
import { ExpertSenderSettings } from '../connectors/stores/expertsender/settings.ts';
import { jsonString } from '../src/core/delivery/jsonText.ts';
import { prepareInputs, type PrepareRequest, type Preparer } from '../src/core/delivery/preparation.ts';
import { defaultPreparationThreads, startPreparationThreads } from '../src/node/preparationThread.ts';
import { StoreConnections } from '../src/node/storeConnections.ts';
import { startEsputnikSimulator, DEFAULT_SIM_API_KEY } from '../connectors/stores/esputnik/simulator/index.ts';
import { startExpertSenderSimulator } from '../connectors/stores/expertsender/simulator/index.ts';
import { systemClock } from '../src/core/clock.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { STORES } from '../connectors/registry.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { canonicalLine, makeOrder } from './support/canonicalOrder.ts';
import { createHarness, orderChange, SHOP_DOMAIN, type Harness } from './stores/harness.ts';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const settings = EngageSettings.parse({ maxOrderAgeDays: 365 });
const address = { firstName: 'Anna', lastName: 'Åberg', company: null, address1: 'Storgatan 1', address2: null, city: 'Malmö', province: null, provinceCode: null, postalCode: '21122', country: 'SE', phone: null };
const order = (id: string, createdAt = '2026-10-01T00:00:00.000Z') =>
  makeOrder(id, {
    createdAt, updatedAt: createdAt, billingAddress: address,
    lineItems: [canonicalLine({ id: `${id}-1`, productId: '632910392', variantId: '808950810', sku: 'IPOD', name: 'iPod', quantity: 2, unitPrice: 1000, tax: 400 })],
  }, SHOP_DOMAIN);
const input = (o: ReturnType<typeof order> | null): PrepareRequest => ({ order: o && JSON.stringify(o), current: null, events: ['order.created'], origin: 'webhook' });

/** The results with every `json` as text: the thread hands encoded JSON over as bytes (src/node/preparedBytes.ts). */
function text(r: unknown, depth: number): unknown {
  if (!r || typeof r !== 'object' || depth > 1) return r;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'json' ? jsonString(v as string | Uint8Array<ArrayBuffer>) : text(v, depth + 1)]));
}
const asText = (results: unknown[]): unknown[] => results.map((r) => text(r, 0));

describe('preparation thread', () => {
  let thread: Preparer;
  beforeAll(() => {
    thread = startPreparationThreads();
  });
  afterAll(() => thread.close());

  it('prepares Engage orders exactly as deliver would inline: big ids, refusals, customer-only items', async () => {
    const inputs = [input(order('4401')), input(order('9007199254740993')), input(order('4402', '2024-01-01T00:00:00.000Z')), input(null)];
    const raw = await thread.prepare('engage', settings, inputs, NOW);
    // Encoded orders cross as UTF-8 bytes, all views of one transferred buffer: the event loop only copies them into a body.
    const sent = raw.flatMap((r) => (r && typeof r === 'object' && 'json' in r ? [r.json] : []));
    expect(sent).toHaveLength(2);
    expect(sent.every((b) => b instanceof Uint8Array)).toBe(true);
    expect(new Set(sent.map((b) => (b as Uint8Array).buffer)).size).toBe(1);
    const results = asText(raw);
    expect(results).toEqual(prepareInputs(prepareEngageOrder, inputs, settings, NOW));
    expect(results[0]).toMatchObject({ kind: 'send' });
    expect(JSON.parse((results[0] as { json: string }).json)).toMatchObject({ order_id: 4401, city: 'Malmö', email: 'anna@example.com' });
    // Beyond 2^53: written as the exact integer literal, not a rounded number or a string.
    expect((results[1] as { json: string }).json).toContain('"order_id":9007199254740993');
    expect(results[2]).toEqual({ kind: 'reject', reason: expect.stringContaining('last 365 days') });
    expect(results[3]).toEqual({ kind: 'none' });
  });

  it('prepares ExpertSender plans exactly as deliver would inline: full orders encoded, status shortcuts, deletions, refusals', async () => {
    const es = ExpertSenderSettings.parse({ batchSize: 100, orderIdPrefix: 'shop1-' });
    const inputs: PrepareRequest[] = [
      input(order('9007199254740993')),
      { ...input(order('4410')), events: ['order.paid'] },
      { ...input(makeOrder('4411', { status: 'deleted' }, SHOP_DOMAIN)), events: ['order.deleted'] },
      input(makeOrder('4412', { status: 'abandoned' }, SHOP_DOMAIN)),
      input(makeOrder('4413', { customer: null }, SHOP_DOMAIN)),
    ];
    const raw = await thread.prepare('expertsender', es, inputs, NOW);
    expect((raw[1] as { fallback: { json: unknown } }).fallback.json).toBeInstanceOf(Uint8Array); // one object deep, too
    const results = asText(raw);
    expect(results).toEqual(prepareInputs(prepareExpertSender, inputs, es, NOW));
    expect(results[0]).toMatchObject({ kind: 'upsert', id: 'shop1-9007199254740993' });
    expect(JSON.parse((results[0] as { json: string }).json)).toMatchObject({ id: 'shop1-9007199254740993', customer: { email: 'anna@example.com' } });
    expect(results[1]).toMatchObject({ kind: 'status', body: { orderId: 'shop1-4410' }, fallback: { kind: 'upsert', id: 'shop1-4410' } });
    expect(results[2]).toEqual({ kind: 'delete', orderId: 'shop1-4411' });
    expect(results[3]).toMatchObject({ kind: 'skip', reason: expect.stringContaining('abandoned') });
    expect(results[4]).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('cannot match the order') });
  });

  it('wraps encoded ExpertSender orders into the same POST /orders body as encoding the whole body', () => {
    const data = [{ id: 'a', status: 'Placed' }, { id: 'b', status: 'Paid' }];
    expect(postOrdersBody(data.map((d) => JSON.stringify(d)), undefined)).toBe(JSON.stringify({ mode: 'AddOrReplace', data }));
    expect(postOrdersBody(data.map((d) => JSON.stringify(d)), 'Phone')).toBe(JSON.stringify({ mode: 'AddOrReplace', data, matchBy: 'Phone' }));
  });

  it('prepares eSputnik orders exactly as deliver would inline: upserts encoded, deletions, refusals', async () => {
    const ep = esputnikOrdersSettings.parse({});
    const inputs: PrepareRequest[] = [
      input(order('9007199254740993')),
      input(makeOrder('4420', { status: 'deleted' }, SHOP_DOMAIN)),
      input(null),
    ];
    const results = asText(await thread.prepare('esputnik-orders', ep, inputs, NOW));
    expect(results).toEqual(prepareInputs(prepareEsputnikOrder, inputs, ep, NOW));
    expect(results[0]).toMatchObject({ action: 'upsert', externalOrderId: expect.stringContaining('9007199254740993') });
    expect(JSON.parse((results[0] as { json: string }).json)).toMatchObject({ email: 'anna@example.com' });
    expect(results[1]).toMatchObject({ action: 'delete', externalOrderId: expect.stringContaining('4420') });
    expect(results[2]).toMatchObject({ action: 'skip' });
    const orders = [{ externalOrderId: 'a' }, { externalOrderId: 'b' }];
    expect(addOrdersBody(orders.map((o) => JSON.stringify(o)))).toBe(JSON.stringify({ orders }));
  });

  it('knows which stores it prepares and refuses the rest with a reason', async () => {
    expect(thread.handles('esputnik-orders')).toBe(true);
    expect(thread.handles('engage')).toBe(true);
    expect(thread.handles('expertsender')).toBe(true);
    expect(thread.handles('voyado')).toBe(false);
    await expect(thread.prepare('voyado', {}, [input(order('1'))], NOW)).rejects.toThrow(/no preparation for store kind voyado/);
  });

  it('a batch whose input cannot be read fails as a whole (so the engine retries it), and the thread keeps working', async () => {
    await expect(thread.prepare('engage', settings, [{ order: '{not json', current: null, events: [], origin: 'webhook' }], NOW)).rejects.toThrow(/preparation failed/);
    expect(await thread.prepare('engage', settings, [input(order('4403'))], NOW)).toHaveLength(1);
  });

  it('refuses to read order rows when it was started without a database', async () => {
    await expect(thread.prepare('engage', settings, [{ order: null, current: 'shopify:x:1', events: [], origin: 'webhook' }], NOW))
      .rejects.toThrow(/without a database/);
  });
});

describe('preparation threads (a pool)', () => {
  it('gives a batch to an idle thread, not behind a long one, and each prepares exactly what one thread would', async () => {
    const pool = startPreparationThreads({ threads: 2 });
    try {
      const long = Array.from({ length: 20_000 }, (_, i) => input(order(String(50_000 + i))));
      const short = [input(order('4430'))];
      const finished: string[] = [];
      const [longResults, shortResults] = await Promise.all([
        pool.prepare('engage', settings, long, NOW).then((r) => (finished.push('long'), r)),
        pool.prepare('engage', settings, short, NOW).then((r) => (finished.push('short'), r)),
      ]);
      // One thread answers in the order it was asked: the short batch could only finish first on a second thread.
      expect(finished).toEqual(['short', 'long']);
      expect(asText(shortResults)).toEqual(prepareInputs(prepareEngageOrder, short, settings, NOW));
      expect(longResults).toHaveLength(long.length);
      expect(asText(longResults.slice(-3))).toEqual(prepareInputs(prepareEngageOrder, long.slice(-3), settings, NOW));
    } finally {
      await pool.close();
    }
  });

  it('defaults to the cores but one, at least one and at most four', () => {
    expect([1, 2, 3, 8, 64].map((cores) => defaultPreparationThreads(cores))).toEqual([1, 1, 2, 4, 4]);
  });
});

describe('delivery engine with the preparation thread (real SQLite file, Engage simulator over HTTP)', () => {
  let h: Harness;
  let sim: RunningEngageSimulator;
  let thread: Preparer & { calls: number };
  beforeAll(async () => {
    sim = await startEngageSimulator({ now: () => NOW });
  });
  afterAll(() => sim.close());
  afterEach(async () => {
    await thread.close();
    h.close();
  });

  it('delivers every order it prepared off the event loop, and dead-letters the one Engage must not get', async () => {
    h = await createHarness();
    await h.addDestination('engage', { baseUrl: sim.url, maxOrderAgeDays: 365 }, ENGAGE_SIM_DEFAULT_TOKEN);
    const real = startPreparationThreads({ databasePath: join(h.dir, 'orderbridge.db') });
    thread = { calls: 0, handles: real.handles, close: real.close, prepare: (...args) => (thread.calls++, real.prepare(...args)) };
    const ids = Array.from({ length: 300 }, (_, i) => String(5000 + i));
    h.apply([...ids.map((id) => orderChange(order(id), ['order.created'])), orderChange(order('4999', '2024-01-01T00:00:00.000Z'), ['order.created'])]);
    const engine = new DeliveryEngine({
      sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: createStoreCatalog(h.database.db, STORES),
      secrets: h.secrets, clock: systemClock, preparer: thread, options: { pollMs: 10 },
    });
    await engine.drain();
    await engine.stop();
    expect(thread.calls).toBeGreaterThanOrEqual(2); // 301 rows: more than one batch of 250
    for (const id of ids) expect(sim.orders.get(id)).toMatchObject({ order_id: Number(id), city: 'Malmö', status: 'pending' });
    expect(sim.orders.has('4999')).toBe(false);
    const letters = h.storage.deadLetters.list({ limit: 10 });
    expect(letters.map((l) => [l.orderKey, l.error])).toEqual([
      [`shopify:${SHOP_DOMAIN}:4999`, 'not sent to Engage: created 2024-01-01T00:00:00.000Z: Engage takes orders from the last 365 days only'],
    ]);
    // The claim carried no copy; the letter still keeps the version that failed, for a replay after redaction.
    expect(JSON.parse(letters[0]!.order!)).toMatchObject({ key: `shopify:${SHOP_DOMAIN}:4999`, createdAt: '2024-01-01T00:00:00.000Z' });
  });

  it('reads each order row\'s newest version itself, and prepares an order gone from the database as no order', async () => {
    h = await createHarness();
    const real = startPreparationThreads({ databasePath: join(h.dir, 'orderbridge.db') });
    thread = { calls: 0, ...real };
    h.apply([orderChange(order('6100'), ['order.created'])]);
    const newer = { ...order('6100', '2026-10-02T00:00:00.000Z'), createdAt: '2026-10-01T00:00:00.000Z' };
    h.apply([orderChange(newer, ['order.updated'])]);
    const request = (key: string): PrepareRequest => ({ order: null, current: key, events: ['order.updated'], origin: 'webhook' });
    const [found, gone] = asText(await real.prepare('engage', settings, [request(`shopify:${SHOP_DOMAIN}:6100`), request(`shopify:${SHOP_DOMAIN}:404`)], NOW));
    expect(found).toEqual(prepareInputs(prepareEngageOrder, [{ order: JSON.stringify(newer), events: ['order.updated'], origin: 'webhook' }], settings, NOW)[0]);
    expect(gone).toEqual({ kind: 'none' });
  });
});

describe('batch stores with the preparation thread and the Node client (bytes bodies over real HTTP)', () => {
  it('eSputnik orders and ExpertSender receive every order whole, non-ASCII text intact', async () => {
    const h = await createHarness();
    const esputnik = await startEsputnikSimulator({ rateLimits: { events: 1e9, general: 1e9 } });
    const expertsender = await startExpertSenderSimulator({ requestsPerSecond: null });
    const connections = new StoreConnections();
    const real = startPreparationThreads({ databasePath: join(h.dir, 'orderbridge.db') });
    try {
      await h.addDestination('esputnik-orders', { baseUrl: esputnik.baseUrl, itemImageUrl: 'https://cdn.example.com/kaffe.png' }, DEFAULT_SIM_API_KEY);
      await h.addDestination('expertsender', { baseUrl: expertsender.url, batchSize: 100 }, expertsender.apiKey);
      const ids = Array.from({ length: 260 }, (_, i) => String(7000 + i));
      const named = (id: string) => {
        const o = order(id);
        o.lineItems[0]!.name = 'Kaffe – Malmö ☕'; // multi-byte UTF-8 in every body
        return o;
      };
      h.apply(ids.map((id) => orderChange(named(id), ['order.created'])));
      const engine = new DeliveryEngine({
        sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: createStoreCatalog(h.database.db, STORES),
        secrets: h.secrets, clock: systemClock, preparer: real, timedFetch: (ms) => connections.fetchFor(ms), options: { pollMs: 10 },
      });
      await engine.drain();
      await engine.stop();
      expect(h.storage.deadLetters.list({ limit: 10 })).toEqual([]);
      expect(esputnik.orders.size).toBe(ids.length);
      expect(expertsender.orders.size).toBe(ids.length);
      for (const id of [ids[0]!, ids.at(-1)!]) {
        expect([...esputnik.orders.values()].find((o) => String(o.externalOrderId).endsWith(id))).toMatchObject({
          email: 'anna@example.com', lastName: 'Åberg', items: [expect.objectContaining({ name: 'Kaffe – Malmö ☕' })],
        });
        const held = [...expertsender.orders.values()].find((o) => o.id.endsWith(id))!;
        expect(held.products[0]).toMatchObject({ name: 'Kaffe – Malmö ☕', quantity: 2 });
      }
    } finally {
      await real.close();
      await connections.close();
      await esputnik.close();
      await expertsender.close();
      h.close();
    }
  });
});
