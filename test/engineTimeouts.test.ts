// A store that never answers: the engine gives up after the store's timeout on either HTTP client it
// can be given (any fetch with the engine's per-request deadlines, or the Node runtime's pools), and
// marks the row as one whose write may still land.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../src/core/clock.ts';
import type { DeliveryDeps } from '../src/core/delivery/engine.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { neverSent } from '../src/core/delivery/storeHttp.ts';
import type { StoreDefinition } from '../src/core/delivery/destination.ts';
import { RequestDeadlines } from '../src/core/delivery/requestDeadlines.ts';
import { StoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { asTimeout, StoreConnections } from '../src/node/storeConnections.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { createHarness, orderChange, SHOP, SHOP_DOMAIN, type Harness } from './stores/harness.ts';

const TIMEOUT_MS = 200;

/** A store of one request per batch: delivered on any answer, a retry with the error's name and message otherwise. */
const silentStore: StoreDefinition<{ url: string }> = {
  kind: 'silent', title: 'A store that never answers', settingsSchema: z.object({ url: z.string() }), requiresSecret: false,
  batchSize: 10, requestsPerSecond: null, timeoutMs: TIMEOUT_MS,
  async deliver(items, ctx) {
    try {
      const answer = await ctx.fetch(ctx.settings.url, { method: 'POST', body: '[]', redirect: 'error' });
      await answer.text();
      return items.map(() => ({ outcome: 'delivered' }) as const);
    } catch (error) {
      const e = error as Error;
      return items.map(() => ({ outcome: 'retry', error: `${e.name}: ${e.message}` }) as const);
    }
  },
};

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(() => {}); // takes every request, answers none
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a store that does not answer within its timeout', () => {
  let h: Harness;
  const connections = new StoreConnections();
  afterEach(() => h.close());
  afterAll(() => connections.close());

  const clients: Array<[string, Pick<DeliveryDeps, 'fetch' | 'timedFetch'>]> = [
    ['the global fetch with the engine\'s deadlines', {}],
    ['the Node runtime\'s pools', { timedFetch: connections.fetchFor }],
  ];
  for (const [name, client] of clients) {
    it(`${name}: the batch is retried, flagged as possibly landed, with a timeout error`, async () => {
      h = await createHarness();
      const destinationId = `${SHOP}:silent`;
      h.storage.shops.upsertDestination({ id: destinationId, shopId: SHOP, kind: 'silent', settings: JSON.stringify({ url }), secretSealed: null, enabled: true });
      h.apply([orderChange(makeOrder('4242', {}, SHOP_DOMAIN), ['order.created'])]);
      const engine = new DeliveryEngine({
        sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: new StoreCatalog([silentStore]),
        secrets: h.secrets, clock: systemClock, ...client, options: { backoff: { baseMs: 60_000, maxMs: 60_000, maxAttempts: 5 } },
      });
      const started = Date.now();
      engine.start();
      await expect.poll(() => engine.stats.retried, { timeout: 5_000 }).toBe(1);
      await engine.stop();
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
      const [row] = h.storage.outbox.list({ destinationId, limit: 10 });
      expect(row).toMatchObject({ attempts: 1, uncertain: true });
      expect(row!.lastError).toMatch(/^TimeoutError: /);
    });
  }
});

describe('a store whose port refuses the connection', () => {
  let h: Harness;
  const connections = new StoreConnections();
  afterEach(() => h.close());
  afterAll(() => connections.close());

  for (const [name, client] of [
    ['the global fetch', {}],
    ['the Node runtime\'s pools', { timedFetch: connections.fetchFor }],
  ] as Array<[string, Pick<DeliveryDeps, 'fetch' | 'timedFetch'>]>) {
    it(`${name}: retried, but not flagged as possibly landed (nothing was sent, so nothing is resent later)`, async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      h = await createHarness();
      const destinationId = `${SHOP}:silent`;
      h.storage.shops.upsertDestination({ id: destinationId, shopId: SHOP, kind: 'silent', settings: JSON.stringify({ url: `http://127.0.0.1:${port}/orders` }), secretSealed: null, enabled: true });
      h.apply([orderChange(makeOrder('4243', {}, SHOP_DOMAIN), ['order.created'])]);
      const engine = new DeliveryEngine({
        sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: new StoreCatalog([silentStore]),
        secrets: h.secrets, clock: systemClock, ...client, options: { backoff: { baseMs: 60_000, maxMs: 60_000, maxAttempts: 5 } },
      });
      engine.start();
      await expect.poll(() => engine.stats.retried, { timeout: 5_000 }).toBe(1);
      await engine.stop();
      const [row] = h.storage.outbox.list({ destinationId, limit: 10 });
      expect(row).toMatchObject({ attempts: 1, uncertain: false });
    });
  }
});

describe('neverSent', () => {
  it('reads the connection error through fetch\'s wrapping and happy eyeballs\' AggregateError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(neverSent(refused)).toBe(true);
    expect(neverSent(new TypeError('fetch failed', { cause: refused }))).toBe(true);
    expect(neverSent(new TypeError('fetch failed', { cause: new AggregateError([refused, refused]) }))).toBe(true);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(neverSent(new TypeError('fetch failed', { cause: reset }))).toBe(false);
    expect(neverSent(new DOMException('timed out', 'TimeoutError'))).toBe(false);
    // As the Node runtime's pools word their timeouts: a connect timeout sent nothing, a headers timeout may have.
    const pooled = (code: string) => asTimeout(Object.assign(new Error(code), { code }), 100) as Error;
    expect(pooled('UND_ERR_CONNECT_TIMEOUT')).toMatchObject({ name: 'TimeoutError' });
    expect(neverSent(pooled('UND_ERR_CONNECT_TIMEOUT'))).toBe(true);
    expect(neverSent(pooled('UND_ERR_HEADERS_TIMEOUT'))).toBe(false);
  });
});

describe('RequestDeadlines', () => {
  it('aborts a request with a TimeoutError after the timeout, or with the caller\'s reason first', async () => {
    const deadlines = new RequestDeadlines(50);
    const timed = deadlines.signal();
    const caller = new AbortController();
    const followed = deadlines.signal(caller.signal);
    caller.abort(new Error('caller stopped'));
    expect(followed.reason).toMatchObject({ message: 'caller stopped' });
    await new Promise((r) => setTimeout(r, 80));
    expect(timed.aborted).toBe(true);
    expect(timed.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('leaves the signals of a finished batch alone once cleared', async () => {
    const deadlines = new RequestDeadlines(30);
    const signals = [deadlines.signal(), deadlines.signal()];
    deadlines.clear();
    await new Promise((r) => setTimeout(r, 60));
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
  });
});
