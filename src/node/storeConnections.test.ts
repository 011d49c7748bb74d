// The Node runtime's store client over real loopback HTTP: what the clients read of an answer, redirects
// never followed, and the pool's timeouts (no answer, a body that stops) failing the request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, StoreConnections } from './storeConnections.ts';

let server: Server;
let base: string;
const connections = new StoreConnections();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path.startsWith('/echo')) {
        res.writeHead(201, 'Made It', { 'content-type': 'application/json', 'x-multi': ['a', 'b'], 'Retry-After': '7' });
        const { authorization: auth, 'content-type': type, accept, 'user-agent': agent } = req.headers;
        res.end(JSON.stringify({ method: req.method, path, auth, type, accept, agent, body }));
      } else if (path === '/moved') {
        res.writeHead(303, { location: '/elsewhere' });
        res.end('see other');
      } else if (path === '/pause') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first half, then nothing');
      } else if (path === '/trickle') {
        // A byte every 100 ms, never ending: no single pause reaches the timeout.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => res.write('.'), 100);
        res.on('close', () => clearInterval(timer));
      } else if (path === '/huge') {
        // 20 MiB of unannounced length (chunked), more than an answer is kept of.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'x'.repeat(1024 * 1024);
        let sent = 0;
        const more = () => {
          while (sent < 20 && res.write(chunk)) sent++;
          if (sent >= 20) res.end();
          else res.once('drain', () => { sent++; more(); });
        };
        more();
      } else if (path === '/drop') {
        req.socket.destroy();
      } else if (path === '/') {
        res.writeHead(404).end(`no such path: ${path}`);
      }
      // '/stall': never answered.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await connections.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('StoreConnections (undici pool per timeout)', () => {
  it('sends method, headers and body, and reads status, status text, headers and body back', async () => {
    const answer = await connections.fetchFor(2_000)(`${base}/echo/orders?page=2`, {
      method: 'POST', headers: { Authorization: 'Bearer t0k', 'Content-Type': 'application/json' }, body: '{"ä":1}', redirect: 'error',
    });
    expect(answer.status).toBe(201);
    expect(answer.statusText).toBe('Made It');
    expect(answer.headers.get('RETRY-AFTER')).toBe('7');
    expect(answer.headers.get('x-multi')).toBe('a, b');
    expect(answer.headers.get('x-absent')).toBeNull();
    expect(JSON.parse(await answer.text())).toEqual({
      method: 'POST', path: '/echo/orders?page=2', auth: 'Bearer t0k', type: 'application/json', accept: '*/*', agent: 'orderbridge', body: '{"ä":1}',
    });
  });

  it('keeps the Accept and User-Agent a client names', async () => {
    const answer = await connections.fetchFor(2_000)(`${base}/echo`, { method: 'GET', headers: { 'User-Agent': 'shop-sync/2', ACCEPT: 'application/json' }, redirect: 'error' });
    expect(JSON.parse(await answer.text())).toMatchObject({ accept: 'application/json', agent: 'shop-sync/2' });
  });

  it('sends to a base URL without a path as to "/"', async () => {
    const answer = await connections.fetchFor(2_000)(base, { method: 'GET', redirect: 'manual' });
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('no such path: /');
  });

  it('hands a redirect over with redirect "manual" and fails on one with "error"', async () => {
    const answer = await connections.fetchFor(2_000)(`${base}/moved`, { method: 'GET', redirect: 'manual' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/elsewhere');
    await expect(connections.fetchFor(2_000)(`${base}/moved`, { method: 'GET', redirect: 'error' })).rejects.toThrow(/redirect \(303\)/);
  });

  it('gives up on a store that does not answer, or stops half-way through its answer', async () => {
    const quick = connections.fetchFor(300);
    const started = Date.now();
    await expect(quick(`${base}/stall`, { method: 'POST', body: '{}', redirect: 'error' })).rejects.toMatchObject({ name: 'TimeoutError', message: 'no answer within 300 ms (UND_ERR_HEADERS_TIMEOUT)' });
    await expect(quick(`${base}/pause`, { method: 'GET', redirect: 'error' })).rejects.toMatchObject({ name: 'TimeoutError', message: 'no answer within 300 ms (UND_ERR_BODY_TIMEOUT)' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up on a body that never ends, however steadily it trickles: the whole answer has the timeout', async () => {
    const started = Date.now();
    await expect(connections.fetchFor(600)(`${base}/trickle`, { redirect: 'error' })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps at most MAX_ANSWER_BYTES of a body, not the whole of a runaway one', async () => {
    const answer = await connections.fetchFor(10_000)(`${base}/huge`, { redirect: 'error' });
    expect(answer.status).toBe(200);
    expect((await answer.text()).length).toBe(MAX_ANSWER_BYTES);
  });

  it('fails on a dropped connection and when the caller aborts', async () => {
    await expect(connections.fetchFor(2_000)(`${base}/drop`, { method: 'POST', body: 'x', redirect: 'error' })).rejects.toThrow();
    const caller = new AbortController();
    const pending = connections.fetchFor(10_000)(`${base}/stall`, { method: 'GET', redirect: 'error', signal: caller.signal });
    setTimeout(() => caller.abort(new Error('caller gave up')), 50);
    await expect(pending).rejects.toThrow(/caller gave up/);
  });
});
