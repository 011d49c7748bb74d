// A store answering oddly over real loopback HTTP: what the engine keeps of it (bounded, no key echoed back) and how
// long it waits when told to (never beyond DELIVERY_BACKOFF_MAX_MS, however far off the store's Retry-After).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, orderChange, storeOrder, type Harness } from './harness.ts';

const KEY = 'engage-live-token-5b7c1e9d';
let server: Server;
let base: string;
let h: Harness;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/echo/')) {
        // Some APIs and proxies echo the request's headers in an error body.
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad order', headers: req.headers, pad: 'x'.repeat(100_000) }));
      } else {
        res.writeHead(429, { 'retry-after': '1000000000' }).end('come back in 31 years');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('what the engine keeps of an odd answer', () => {
  it('a dead letter of a store that echoed the key holds its words, bounded, without the key', async () => {
    await h.addDestination('engage', { baseUrl: `${base}/echo`, maxOrderAgeDays: 0 }, KEY);
    h.apply([orderChange(storeOrder('6001', 1), ['order.created'])]);
    await h.engine({ fetch: globalThis.fetch }).drain();
    const [letter] = h.storage.deadLetters.list({ limit: 10 });
    expect(letter!.error).toContain('bad order');
    expect(letter!.error).toContain('[redacted]');
    expect(letter!.error).not.toContain(KEY);
    expect(letter!.error.length).toBeLessThanOrEqual(4_100);
  });

  it('a Retry-After of 31 years waits DELIVERY_BACKOFF_MAX_MS at most: the order is tried again, then a dead letter', async () => {
    await h.addDestination('engage', { baseUrl: `${base}/later`, maxOrderAgeDays: 0 }, KEY);
    h.apply([orderChange(storeOrder('6002', 1), ['order.created'])]);
    const started = Date.now();
    await h.engine({ fetch: globalThis.fetch, options: { backoff: { baseMs: 5, maxMs: 50, maxAttempts: 3 } } }).drain();
    expect(Date.now() - started).toBeLessThan(10_000);
    const [letter] = h.storage.deadLetters.list({ limit: 10 });
    expect(letter).toMatchObject({ attempts: 3, error: expect.stringMatching(/^gave up after 3 attempts: .*429/) });
  });
});
