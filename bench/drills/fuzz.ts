// Fuzz drill: fast-check's hostile requests (fuzzInputs.ts) to each webhook route and the admin API, in process against the
// Hono app (createApp) and over HTTP to a spawned orderbridge. Zero crashes, zero 5xx, every rejection a JSON error naming the
// problem, and nothing stored for a request that was not signed (or not authorized).
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShopifyVerifier } from '../../connectors/platforms/shopify/webhookVerifier.ts';
import { STORES } from '../../connectors/registry.ts';
import { createApp } from '../../src/app/app.ts';
import { createStoreCatalog } from '../../src/core/delivery/storeCatalog.ts';
import { WebhookSecrets } from '../../src/core/shops/webhookSecrets.ts';
import { SecretBox } from '../../src/core/state/secretBox.ts';
import { createStorage } from '../../src/core/storage.ts';
import { openDatabase } from '../../src/node/database.ts';
import { tableCounts } from '../../test/support/database.ts';
import { launchOrderbridge, removeCreatedDirectories } from '../../test/support/orderbridgeLauncher.ts';
import { figure, type DrillResult } from './drill.ts';
import { fuzzRequests, type FuzzRequest } from './fuzzInputs.ts';

const SECRET = 'fuzz-shopify-secret';
const TOKEN = 'fuzz-admin-token';

type Send = (path: string, init: RequestInit) => Promise<Response>;

interface Tally { sent: number; crashes: string[]; serverErrors: string[]; unnamed: string[]; retried?: string[] }

/** The request as its caller would make it: signed, badly signed, unsigned, with or without the admin token. */
function requestOf(r: FuzzRequest): RequestInit {
  const bytes = r.body === null ? null : typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : Buffer.from(r.body);
  const headers: Record<string, string> = {};
  if (r.contentType !== null) headers['content-type'] = r.contentType;
  if (r.caller.startsWith('shopify')) {
    Object.assign(headers, {
      'x-shopify-topic': r.topic, 'x-shopify-shop-domain': 'fuzz-shop.myshopify.com', 'x-shopify-api-version': '2026-01',
      'x-shopify-webhook-id': randomUUID(), 'x-shopify-event-id': randomUUID(), 'x-shopify-triggered-at': new Date().toISOString(),
    });
    if (r.caller === 'shopify-signed') headers['x-shopify-hmac-sha256'] = createHmac('sha256', SECRET).update(bytes ?? Buffer.alloc(0)).digest('base64');
    if (r.caller === 'shopify-bad-signature') headers['x-shopify-hmac-sha256'] = createHmac('sha256', 'not-the-secret').update(bytes ?? Buffer.alloc(0)).digest('base64');
  }
  if (r.caller === 'woocommerce-unsigned') {
    Object.assign(headers, { 'x-wc-webhook-source': 'https://fuzz.example/', 'x-wc-webhook-topic': r.topic, 'x-wc-webhook-id': '1', 'x-wc-webhook-delivery-id': randomUUID() });
  }
  if (r.caller === 'admin') headers.authorization = `Bearer ${TOKEN}`;
  const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : bytes ?? undefined;
  return { method: r.method, headers, ...(body === undefined ? {} : { body }) };
}

const sizeOf = (r: FuzzRequest) => (r.body === null ? 0 : typeof r.body === 'string' ? Buffer.byteLength(r.body) : r.body.length);

async function run(send: Send, requests: FuzzRequest[], tally: Tally): Promise<void> {
  let previous = '';
  for (const r of requests) {
    tally.sent++;
    const what = `${r.caller} ${r.method} ${r.path.slice(0, 80)}`;
    let answer: Response;
    try {
      answer = await send(r.path, requestOf(r));
    } catch (error) {
      // A kept-alive connection closed under the request, the server alive: counted (a miss), and sent again once on a new connection.
      if (tally.retried !== undefined) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        tally.retried.push(`${what} (${sizeOf(r)} bytes; ${cause?.code ?? cause?.message ?? String(error)}) after ${previous}`);
        try {
          answer = await send(r.path, { ...requestOf(r), headers: { ...(requestOf(r).headers as Record<string, string>), connection: 'close' } });
          await answer.arrayBuffer();
          continue;
        } catch { /* a crash: below */ }
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      tally.crashes.push(`${what} (${sizeOf(r)} bytes, ${r.contentType}, topic ${JSON.stringify(r.topic)}): ${String(error).slice(0, 100)} ${cause?.code ?? ''} ${cause?.message ?? ''}; after ${previous}`);
      continue;
    }
    const text = await answer.text();
    previous = `${what}: ${answer.status} ${text.slice(0, 100)}`;
    if (answer.status >= 500) tally.serverErrors.push(`${what}: ${answer.status} ${text.slice(0, 200)}`);
    if (answer.status >= 400) {
      let named = false;
      try {
        const json = JSON.parse(text) as { error?: unknown; message?: unknown };
        named = typeof json.error === 'string' && json.error !== '' && typeof json.message === 'string' && json.message !== '';
      } catch { /* not JSON: unnamed */ }
      if (!named || !(answer.headers.get('content-type') ?? '').includes('json')) tally.unnamed.push(`${what}: ${answer.status} ${text.slice(0, 120)}`);
    }
  }
}

/** Rows per table, but the ones any request may touch without storing anything (none today). */
const rows = (path: string) => tableCounts(path);
const unsignedFirst = (requests: FuzzRequest[]) => ({
  unsigned: requests.filter((r) => r.caller !== 'shopify-signed' && r.caller !== 'admin'),
  signed: requests.filter((r) => r.caller === 'shopify-signed' || r.caller === 'admin'),
});

export async function fuzzDrill(opts: { inProcess: number; overHttp: number; seed?: number }): Promise<DrillResult> {
  const seed = opts.seed ?? 2323;
  const tally: Tally = { sent: 0, crashes: [], serverErrors: [], unnamed: [] };
  let unsignedStored: string[] = [];
  const storedBy = (before: Record<string, number>, after: Record<string, number>) =>
    Object.keys(after).filter((t) => after[t] !== before[t]).map((t) => `${t} ${before[t]} → ${after[t]}`);

  // In process: the Hono app over a real SQLite file.
  const dir = mkdtempSync(join(tmpdir(), 'orderbridge-fuzz-'));
  try {
    const database = openDatabase(join(dir, 'fuzz.db'));
    const clock = { now: () => Date.now() };
    const storage = createStorage(database, clock);
    const secrets = await SecretBox.fromPassphrase('fuzz');
    const app = createApp({
      storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
      config: { adminToken: TOKEN, maxBodyBytes: 2 * 1024 * 1024, publicUrl: null },
      webhookSecrets: new WebhookSecrets(storage.shops, secrets), verifyShopify: createShopifyVerifier({ secret: SECRET }),
    });
    const { unsigned, signed } = unsignedFirst(fuzzRequests(opts.inProcess, seed));
    const before = rows(join(dir, 'fuzz.db'));
    await run(async (path, init) => app.request(path, init), unsigned, tally);
    unsignedStored = storedBy(before, rows(join(dir, 'fuzz.db')));
    await run(async (path, init) => app.request(path, init), signed, tally);
    database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const polluted = ({} as Record<string, unknown>).polluted !== undefined || (Object.prototype as Record<string, unknown>).polluted !== undefined;

  // Over HTTP: the real server, its body limits and its socket handling.
  if (opts.overHttp > 0) {
    const server = await launchOrderbridge({ SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: TOKEN, ENCRYPTION_KEY: 'fuzz-key' });
    try {
      const { unsigned, signed } = unsignedFirst(fuzzRequests(opts.overHttp, seed + 1));
      const send: Send = (path, init) => fetch(`${server.url}${path}`, init);
      tally.retried = [];
      const before = rows(server.databasePath);
      await run(send, unsigned, tally);
      unsignedStored.push(...storedBy(before, rows(server.databasePath)).map((s) => `over HTTP: ${s}`));
      await run(send, signed, tally);
      if (server.child.exitCode !== null || server.child.signalCode !== null) tally.crashes.push(`the server exited: ${server.output().slice(-500)}`);
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
      removeCreatedDirectories();
    }
  }
  return {
    drill: 'fuzz',
    figures: [
      figure('hostile requests', tally.sent, `${opts.inProcess + opts.overHttp}`, tally.sent === opts.inProcess + opts.overHttp),
      figure('crashes', tally.crashes.length, '0', tally.crashes.length === 0),
      figure('5xx answers', tally.serverErrors.length, '0', tally.serverErrors.length === 0),
      figure('rejections not a JSON error naming the problem', tally.unnamed.length, '0', tally.unnamed.length === 0),
      figure('tables changed by unsigned requests', unsignedStored.length, '0', unsignedStored.length === 0),
      figure('kept-alive connections closed under a request (sent again)', tally.retried?.length ?? 0, '0', (tally.retried?.length ?? 0) === 0),
      figure('prototype polluted', polluted ? 'yes' : 'no', 'no', !polluted),
    ],
    details: [...tally.crashes, ...(tally.retried ?? []).map((r) => `closed under: ${r}`), ...tally.serverErrors, ...tally.unnamed, ...unsignedStored].slice(0, 20),
  };
}
