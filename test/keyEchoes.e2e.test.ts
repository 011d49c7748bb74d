// A store (or a proxy before it) that answers with the request's headers and the key echoed in every form, the
// echoes running across where the store clients cut a store's text (2,000 characters): what orderbridge keeps of
// it — an outbox row's last error, a destination's retrying error, a dead letter, as the admin API shows them, and
// the SQLite file's bytes — holds no trace of the key, for every store client.
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { echoBody, keyTraces, phpJson } from './support/keyEchoes.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'key-echoes-secret';
const ADMIN = 'key-echoes-admin-token';
const SHOP = 'shopify:demo-shop.myshopify.com';

/** Each store client, its settings against the echo server (under its own path), and its own key. */
const STORES: Array<{ kind: string; path: string; key: string; settings: (base: string) => Record<string, unknown> }> = [
  { kind: 'engage', path: '/engage', key: 'eng/Live+Åk7f3a9c2e-b1d4', settings: (base) => ({ baseUrl: base, maxOrderAgeDays: 0 }) },
  { kind: 'voyado', path: '/voyado/api/v3', key: 'voy/Key+Ö2c9d1e7a-55f0', settings: (base) => ({ baseUrl: base, jobPollIntervalMs: 0, contactMatchKeys: ['Email'] }) },
  { kind: 'expertsender', path: '/expertsender', key: 'exs/Api+Ä8b1f0c3d-9e62', settings: (base) => ({ baseUrl: base }) },
  { kind: 'esputnik-orders', path: '/esputnik-orders', key: 'esp/Ord+É4a7c2b9e-11d8', settings: (base) => ({ baseUrl: base }) },
  { kind: 'esputnik-events', path: '/esputnik-events', key: 'esp/Evt+Ü6d3e8f1a-70c2', settings: (base) => ({ baseUrl: base }) },
];

let answering: 503 | 400 = 503;
let server: Server;
let base: string;
let ob: OrderbridgeProcess;

/** PHP's json_encode of the request's headers, as some APIs and proxies put them in an error. */
const headersAsPhp = (headers: IncomingHttpHeaders) => `{${Object.entries(headers).map(([k, v]) => `"${k}":"${phpJson(String(v))}"`).join(',')}}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const store = STORES.find((s) => req.url!.startsWith(s.path));
      if (!store) return void res.writeHead(404).end();
      // Headers first, then every form of the key over and over, from well before 2,000 characters to past 4,000.
      const body = echoBody(store.key, { padding: 1_500, span: 3_000 }).replace('"headers":"', `"request":${headersAsPhp(req.headers)},"headers":"`);
      res.writeHead(answering, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ob = await startOrderbridge({
    SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: ADMIN, ENCRYPTION_KEY: 'key-echoes-key', DELIVERY_POLL_MS: '20',
    DELIVERY_BACKOFF_BASE_MS: '50', DELIVERY_BACKOFF_MAX_MS: '200', DELIVERY_MAX_ATTEMPTS: '1000',
  });
}, 60_000);
afterAll(async () => {
  await ob?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${ob.url}/api${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' } });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<T>;
}

const destinationId = (kind: string) => `${SHOP}:${kind}`;

/** The database file and its write-ahead log, as bytes read as UTF-8: what a copy of the data directory holds. */
function fileText(path: string): string {
  return [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('utf8')).join('\n');
}

type OutboxItem = { destinationId: string; attempts: number; lastError: string | null };
type Listed = { id: string; queue: { retrying: { lastError: string } | null } };
type Letter = { destinationId: string; error: string };

/** What orderbridge kept, per store: read through the admin API, and the database file's text. */
const kept = new Map<string, { lastError: string; listed: string | null; letter: string }>();
const files: { running: string; stopped: string } = { running: '', stopped: '' };

/** One order to every store: first answered 503 (the rows retry, keeping the store's words), then 400 (dead letters). */
beforeAll(async () => {
  // The shop exists once its first webhook came; its stores are added, then an order goes to all of them.
  expect((await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: '820982911946157000' }), secret: SECRET })).status).toBe(200);
  for (const s of STORES) {
    await admin(`/shops/${encodeURIComponent(SHOP)}/destinations`, {
      method: 'POST', body: JSON.stringify({ kind: s.kind, settings: s.settings(`${base}${s.path}`), secret: s.key }),
    });
  }
  expect((await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: shopifyDocsOrderBody({ id: '820982911946157001' }), secret: SECRET })).status).toBe(200);

  const retrying = await eventually(async () => {
    const { items } = await admin<{ items: OutboxItem[] }>('/outbox?limit=100');
    const failed = STORES.map((s) => items.find((i) => i.destinationId === destinationId(s.kind) && i.attempts > 0 && i.lastError));
    return failed.every(Boolean) ? (failed as OutboxItem[]) : undefined;
  }, 20_000, 'a failed attempt at every store');
  const { items: destinations } = await admin<{ items: Listed[] }>(`/shops/${encodeURIComponent(SHOP)}/destinations`);

  answering = 400;
  const letters = await eventually(async () => {
    const { items } = await admin<{ items: Letter[] }>('/dead-letters?limit=100');
    const found = STORES.map((s) => items.find((l) => l.destinationId === destinationId(s.kind)));
    return found.every(Boolean) ? (found as Letter[]) : undefined;
  }, 20_000, 'a dead letter for every store');
  STORES.forEach((s, i) => kept.set(s.kind, {
    lastError: retrying[i]!.lastError!,
    listed: destinations.find((d) => d.id === destinationId(s.kind))?.queue.retrying?.lastError ?? null,
    letter: letters[i]!.error,
  }));
  files.running = fileText(ob.databasePath);
  await ob.stop();
  files.stopped = fileText(ob.databasePath);
}, 90_000);

describe('a store echoing the key across where its client cuts the text: nothing of the key is kept', () => {
  for (const s of STORES) {
    it(`${s.kind}: last error, the destination's retrying error, the dead letter, the database file`, () => {
      const { lastError, listed, letter } = kept.get(s.kind)!;
      for (const [where, text] of [['outbox lastError', lastError], ['destination listing', listed ?? ''], ['dead letter', letter]] as const) {
        // The cut really fell among the echoes: the store's text runs to it, redacted.
        expect(text, where).toContain('[redacted]');
        expect(text.length, where).toBeGreaterThan(1_900);
        expect(keyTraces(text, s.key), where).toEqual([]);
      }
      expect(keyTraces(files.running, s.key), 'database file while running').toEqual([]);
      expect(keyTraces(files.stopped, s.key), 'database file after a stop').toEqual([]);
    });
  }
});
