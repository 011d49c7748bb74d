// A full scenario against a spawned orderbridge at LOG_LEVEL=debug: Shopify webhooks from the fixtures (people's
// names, e-mails, phones, addresses), deliveries to the Engage simulator under its own key, and two stores that
// answer with the request they were sent and the key echoed back — one refuses (400: dead letters at once), one
// is down (503: retries, then dead letters). Then every log line is read: JSON, the lines the operator needs, the
// request ids the answers carried, and not one secret, key or piece of the fixtures' personal data. /metrics is
// scraped after it and read with a strict exposition reader: the figures moved as the scenario did.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngageSimulator, type RunningEngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { FIXTURES, shopifyDocsOrderBody } from './support/fixtures.ts';
import { ROOT, startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { parsePromText, valueOf, type Sample } from './support/promText.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRETS = {
  SHOPIFY_API_SECRET: 'obs-shopify-secret-5b1f9c',
  ADMIN_TOKEN: 'obs-admin-token-8d2e7a',
  ENCRYPTION_KEY: 'obs-encryption-key-3c9a0f',
  METRICS_TOKEN: 'obs-metrics-token-6f4b2d',
};
const ENGAGE_KEY = 'obs-engage-key-Live+7f3a9c2e';
const REFUSING_KEY = 'obs-refusing-key-1e8d4b7c';
const DOWN_KEY = 'obs-down-key-9a2c5e0f';

const SHOP = 'demo-shop.myshopify.com';
const SECOND = 'second-shop.myshopify.com';
const ORDER_FIXTURES = ['order-docs-sample.json', 'order-discounts-shipping.json', 'order-guest-presentment.json', 'order-eur-shipping-vat-gift-card.json'];

/** Strings of the fixtures that are a person's: names, e-mails, phones, addresses (4 characters or more). */
function personalData(): string[] {
  const found = new Set<string>();
  const personalKey = /email|phone|first_name|last_name|^name$|address1|address2|city|zip|company/;
  const walk = (value: unknown, key: string, inPerson: boolean) => {
    if (Array.isArray(value)) return value.forEach((v) => walk(v, key, inPerson));
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k, inPerson || /customer|address|billing|shipping/.test(k));
      return;
    }
    if (typeof value === 'string' && value.length >= 4 && personalKey.test(key) && (inPerson || /email|phone/.test(key))) found.add(value);
  };
  for (const f of ORDER_FIXTURES) walk(JSON.parse(readFileSync(join(FIXTURES, 'shopify', f), 'utf8')), '', false);
  return [...found];
}

let engage: RunningEngageSimulator;
let echo: Server;
let ob: OrderbridgeProcess;
let logLines: Array<Record<string, unknown>> = [];
let rawLog = '';
const answers: Array<{ sent: string | null; status: number; requestId: string | null }> = [];
let scrape: { unauthorized: Response; wrongToken: Response; samples: Sample[]; text: string };
let accepted = 0;
let letters: Array<{ destinationId: string; error: string }> = [];

/** The store's answer: its request, headers (the key) and body, echoed back. */
const echoStatus: Record<string, number> = { '/refusing': 400, '/down': 503 };

async function admin(path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${ob.url}/api${path}`, { ...init, headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' } });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json();
}

async function send(body: string, opts: { shop?: string; requestId?: string; webhookId?: string; topic?: string; hmac?: string } = {}) {
  const res = await sendShopifyWebhookWithId(body, opts);
  answers.push({ sent: opts.requestId ?? null, status: res.status, requestId: res.headers.get('x-request-id') });
  const outcome = res.status === 200 ? ((await res.json()) as { outcome: string }).outcome : null;
  if (outcome === 'accepted') accepted++;
  return { res, outcome };
}

/** sendShopifyWebhook with an X-Request-Id of our choosing. */
function sendShopifyWebhookWithId(body: string, opts: { shop?: string; requestId?: string; webhookId?: string; topic?: string; hmac?: string }) {
  const original = globalThis.fetch;
  if (!opts.requestId) return sendShopifyWebhook(ob.url, { topic: opts.topic ?? 'orders/create', body, shop: opts.shop, secret: SECRETS.SHOPIFY_API_SECRET, webhookId: opts.webhookId, hmac: opts.hmac });
  const withId: typeof fetch = (input, init) => original(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-request-id': opts.requestId! } });
  globalThis.fetch = withId;
  try {
    return sendShopifyWebhook(ob.url, { topic: opts.topic ?? 'orders/create', body, shop: opts.shop, secret: SECRETS.SHOPIFY_API_SECRET, webhookId: opts.webhookId, hmac: opts.hmac });
  } finally {
    globalThis.fetch = original;
  }
}

const fixtureBody = (file: string, id: string) => readFileSync(join(FIXTURES, 'shopify', file), 'utf8')
  .replace(/^ {2}"id": \d+,/m, `  "id": ${id},`).replace(/"gid:\/\/shopify\/Order\/\d+"/, `"gid://shopify/Order/${id}"`);

beforeAll(async () => {
  engage = await startEngageSimulator({ token: ENGAGE_KEY, maxOrderAgeDays: 0 });
  echo = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const status = Object.entries(echoStatus).find(([path]) => req.url!.startsWith(path))?.[1] ?? 404;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'rejected', request: { headers: req.headers, body } }));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  ob = await startOrderbridge({
    ...SECRETS, LOG_LEVEL: 'debug', DELIVERY_POLL_MS: '20', DELIVERY_BACKOFF_BASE_MS: '50', DELIVERY_BACKOFF_MAX_MS: '200', DELIVERY_MAX_ATTEMPTS: '3',
  });

  // Each shop exists once its first webhook came; its stores are added, then its orders come.
  await send(shopifyDocsOrderBody({ id: '820982911946150001' }), { requestId: 'obs-first-1' });
  await send(shopifyDocsOrderBody({ id: '820982911946150002' }), { shop: SECOND });
  await admin(`/shops/${encodeURIComponent(`shopify:${SHOP}`)}/destinations`, {
    method: 'POST', body: JSON.stringify({ kind: 'engage', settings: { baseUrl: engage.url, maxOrderAgeDays: 0 }, secret: ENGAGE_KEY }),
  });
  await admin(`/shops/${encodeURIComponent(`shopify:${SHOP}`)}/destinations`, {
    method: 'POST', body: JSON.stringify({ kind: 'esputnik-orders', settings: { baseUrl: `${echoUrl}/down` }, secret: DOWN_KEY }),
  });
  await admin(`/shops/${encodeURIComponent(`shopify:${SECOND}`)}/destinations`, {
    method: 'POST', body: JSON.stringify({ kind: 'engage', settings: { baseUrl: `${echoUrl}/refusing`, maxOrderAgeDays: 0 }, secret: REFUSING_KEY }),
  });
  let n = 10_000;
  for (const f of ORDER_FIXTURES) {
    await send(fixtureBody(f, `82098291194615${++n}`), { requestId: `obs-${f.replace('.json', '')}` });
    await send(fixtureBody(f, `82098291194615${++n}`), { shop: SECOND });
  }
  const repeated = await send(fixtureBody(ORDER_FIXTURES[0]!, '820982911946152000'), { webhookId: 'obs-repeated' });
  expect(repeated.outcome).toBe('accepted');
  expect((await send(fixtureBody(ORDER_FIXTURES[0]!, '820982911946152000'), { webhookId: 'obs-repeated' })).outcome).toBe('duplicate');
  // Not signed: refused, its topic not trusted; an id too odd to log is replaced.
  expect((await send(fixtureBody(ORDER_FIXTURES[1]!, '820982911946152001'), { hmac: 'bm90IGEgc2lnbmF0dXJl', requestId: 'has spaces and "quotes"' })).res.status).toBe(401);

  // Every row settled: at Engage, or through a failing store (or a mapping that refuses it) into a dead letter.
  await eventually(async () => {
    const { items } = (await admin('/outbox?limit=1')) as { items: unknown[] };
    return items.length === 0 && engage.stats.accepted > 0 ? true : undefined;
  }, 60_000, 'every outbox row settled');
  letters = ((await admin('/dead-letters?limit=100')) as { items: typeof letters }).items;

  const metricsUrl = `${ob.url}/metrics`;
  const unauthorized = await fetch(metricsUrl);
  const wrongToken = await fetch(metricsUrl, { headers: { authorization: 'Bearer not-the-token' } });
  const text = await (await fetch(metricsUrl, { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } })).text();
  scrape = { unauthorized, wrongToken, text, samples: parsePromText(text) };
  expect(await ob.stop()).toBe(0);
  rawLog = ob.output();
  logLines = rawLog.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}, 120_000);

afterAll(async () => {
  await ob?.stop();
  await engage?.close();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
});

const lines = (msg: string) => logLines.filter((l) => l.msg === msg);

describe('logs: one JSON object per line, what an operator needs, nothing private', () => {
  it('every line is a JSON object with a level, an ISO time and a message', () => {
    expect(logLines.length).toBeGreaterThan(20);
    for (const l of logLines) {
      expect(['debug', 'info', 'warn', 'error']).toContain(l.level);
      expect(String(l.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof l.msg).toBe('string');
    }
  });

  it('start, lease, stop at info', () => {
    expect(logLines.find((l) => String(l.msg).startsWith('listening on http://'))).toMatchObject({ level: 'info' });
    expect(logLines.find((l) => l.component === 'lease')).toMatchObject({ level: 'info', msg: expect.stringContaining('delivering from this database') });
    expect(logLines.find((l) => String(l.msg).startsWith('SIGTERM'))).toMatchObject({ level: 'info' });
    expect(logLines.at(-1)).toMatchObject({ level: 'info', msg: 'stopped' });
  });

  it('a debug line per webhook answered: platform, topic, shop, outcome, ms, request id', () => {
    const webhooks = lines('webhook');
    expect(webhooks).toHaveLength(answers.length);
    expect(webhooks.every((l) => l.level === 'debug' && l.platform === 'shopify' && typeof l.ms === 'number')).toBe(true);
    expect(webhooks.filter((l) => l.outcome === 'accepted')).toHaveLength(accepted);
    expect(webhooks.find((l) => l.requestId === 'obs-order-discounts-shipping')).toMatchObject({ topic: 'orders/create', shop: SHOP, outcome: 'accepted', status: 200 });
    expect(webhooks.filter((l) => l.outcome === 'duplicate')).toHaveLength(1);
    expect(webhooks.find((l) => l.outcome === 'invalid_signature')).toMatchObject({ topic: 'unknown', shop: null, status: 401 });
  });

  it('an info line per delivery batch: store, destination, orders, ms, outcome', () => {
    const batches = lines('delivery batch');
    expect(batches.every((l) => l.level === 'info' && typeof l.ms === 'number' && typeof l.orders === 'number')).toBe(true);
    const toEngage = batches.filter((l) => l.destination === `shopify:${SHOP}:engage`);
    expect(toEngage.reduce((n, l) => n + (l.delivered as number), 0)).toBe(engage.stats.accepted);
    expect(toEngage.every((l) => l.store === 'engage' && ['delivered', 'failed', 'partial'].includes(l.outcome as string))).toBe(true);
    expect(toEngage.some((l) => l.outcome === 'delivered')).toBe(true);
    expect(batches.some((l) => l.store === 'esputnik-orders' && l.outcome === 'failed')).toBe(true);
  });

  it('a warn line per retry and per dead letter, with the store\'s words', () => {
    const retries = lines('delivery retry');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((l) => l.level === 'warn' && l.store === 'esputnik-orders' && String(l.error).includes('503'))).toBe(true);
    const logged = lines('dead letter');
    expect(logged.every((l) => l.level === 'warn' && typeof l.orderKey === 'string')).toBe(true);
    expect(logged.map((l) => `${l.destination} ${l.orderKey}`).sort()).toHaveLength(letters.length);
    expect(logged.some((l) => l.store === 'esputnik-orders' && String(l.error).startsWith('gave up after 3 attempts: eSputnik 503'))).toBe(true);
    // The store's words are there: its message, and where it echoed the key, the engine's redaction.
    const refused = logged.filter((l) => l.destination === `shopify:${SECOND}:engage` && String(l.error).startsWith('Engage 400'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((l) => String(l.error).includes('"message":"rejected"') && String(l.error).includes('Bearer [redacted]'))).toBe(true);
  });

  it('holds no secret, no store key and no personal data of the fixtures, on any line', () => {
    const personal = personalData();
    expect(personal).toEqual(expect.arrayContaining(['bob.norman@mail.example.com', 'Chestnut Street 92', '+48 601 234 567', 'Łukasiewicz']));
    const forbidden = [...Object.values(SECRETS), ENGAGE_KEY, REFUSING_KEY, DOWN_KEY, ...personal];
    for (const l of logLines) {
      // The process's own numbers (pid, time, a generated request id) may hold a zip code's digits by chance.
      const { pid: _pid, time: _time, requestId: _id, hostname: _host, ...said } = l;
      const text = JSON.stringify(said).toLowerCase();
      for (const f of forbidden) {
        expect(text, `log line ${JSON.stringify(said).slice(0, 300)}`).not.toContain(f.toLowerCase());
        expect(text).not.toContain(JSON.stringify(f).slice(1, -1).toLowerCase());
      }
    }
    // The echoing stores did send the data back: the masking, not the scenario, kept it out.
    expect(lines('dead letter').some((l) => String(l.error).includes('[masked]'))).toBe(true);
  });
});

describe('request ids', () => {
  it('every webhook answer carries X-Request-Id: the sane one it came with, else a new one; its log line carries the same', () => {
    expect(answers.every((a) => a.requestId)).toBe(true);
    for (const a of answers.filter((x) => x.sent === 'obs-first-1' || x.sent?.startsWith('obs-order'))) expect(a.requestId).toBe(a.sent);
    const odd = answers.find((a) => a.sent?.includes(' '))!;
    expect(odd.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(answers.map((a) => a.requestId)).size).toBe(answers.length);
    const logged = new Map(lines('webhook').map((l) => [l.requestId, l]));
    for (const a of answers) expect(logged.get(a.requestId), a.requestId!).toMatchObject({ status: a.status });
  });
});

describe('/metrics', () => {
  it('is behind METRICS_TOKEN: 401 and a JSON problem without it, or with another', async () => {
    for (const res of [scrape.unauthorized, scrape.wrongToken]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('scrapes clean: the strict exposition reader takes it whole', () => {
    expect(scrape.samples.length).toBeGreaterThan(50);
    expect(scrape.text).toContain('# TYPE orderbridge_webhooks_received_total counter');
    expect(scrape.text).toContain('# TYPE orderbridge_delivery_latency_seconds histogram');
  });

  it('counts what the scenario did', () => {
    const s = scrape.samples;
    const webhooks = (labels: Record<string, string>) => valueOf(s, 'orderbridge_webhooks_received_total', { platform: 'shopify', ...labels });
    expect(webhooks({ topic: 'orders/create', outcome: 'accepted' })).toBe(accepted);
    expect(webhooks({ topic: 'orders/create', outcome: 'duplicate' })).toBe(1);
    expect(webhooks({ topic: 'unknown', outcome: 'invalid_signature' })).toBe(1);
    expect(valueOf(s, 'orderbridge_webhook_ack_seconds_count', { platform: 'shopify' })).toBe(answers.length);

    const engageDelivered = valueOf(s, 'orderbridge_deliveries_total', { store: 'engage', outcome: 'delivered' });
    expect(engageDelivered).toBe(engage.stats.accepted);
    expect(valueOf(s, 'orderbridge_delivery_latency_seconds_count', { store: 'engage' })).toBe(engageDelivered);
    expect(valueOf(s, 'orderbridge_deliveries_total', { store: 'local', outcome: 'delivered' })).toBe(accepted);
    const lettersOf = (end: string) => letters.filter((l) => l.destinationId.endsWith(end)).length;
    expect(valueOf(s, 'orderbridge_deliveries_total', { store: 'engage', outcome: 'dead_letter' })).toBe(lettersOf(':engage'));
    expect(valueOf(s, 'orderbridge_dead_letters_total', { store: 'engage' })).toBe(lettersOf(':engage'));
    expect(valueOf(s, 'orderbridge_dead_letters_total', { store: 'esputnik-orders' })).toBe(lettersOf(':esputnik-orders'));
    // Each order at the store that is down was tried 3 times: 2 retries, then its letter.
    expect(valueOf(s, 'orderbridge_deliveries_total', { store: 'esputnik-orders', outcome: 'retry' })).toBe(2 * lettersOf(':esputnik-orders'));
    expect(valueOf(s, 'orderbridge_dead_letters_open', { destination: `shopify:${SECOND}:engage`, store: 'engage' })).toBe(lettersOf(`${SECOND}:engage`));
    // The second shop's orders after its store was added: every one refused.
    expect(lettersOf(`${SECOND}:engage`)).toBe(ORDER_FIXTURES.length);

    // Every destination has its queue gauges, at 0 once drained.
    for (const destination of [`shopify:${SHOP}:engage`, `shopify:${SHOP}:local`, `shopify:${SECOND}:engage`]) {
      expect(valueOf(s, 'orderbridge_queue_depth', { destination }), destination).toBe(0);
      expect(valueOf(s, 'orderbridge_queue_oldest_age_seconds', { destination }), destination).toBe(0);
    }
    expect(valueOf(s, 'orderbridge_jobs_running', { kind: 'backfill' })).toBe(0);
    expect(valueOf(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('the Grafana dashboard and docs/observability.md name only metrics the scrape has, and the docs name every orderbridge one', () => {
    const scraped = new Set(scrape.samples.map((x) => x.name));
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'docs/grafana-dashboard.json'), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    const named = (text: string) => [...text.matchAll(/\b((?:orderbridge|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!);
    const inDashboard = new Set(exprs.flatMap(named));
    expect(inDashboard.size).toBeGreaterThan(10);
    for (const name of inDashboard) expect(scraped, name).toContain(name);
    const doc = readFileSync(join(ROOT, 'docs/observability.md'), 'utf8');
    const documented = new Set(named(doc).filter((n) => n.startsWith('orderbridge_')));
    const families = new Set([...scraped].filter((n) => n.startsWith('orderbridge_')).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    for (const name of documented) expect([...scraped].some((x) => x === name || x.startsWith(`${name}_`)), name).toBe(true);
    for (const family of families) expect(documented, family).toContain(family);
  });
});
