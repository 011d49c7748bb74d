// The admin API's destinations and shops as an operator meets them: typos and missing credentials refused with
// the setting named, a removed destination takes its queue with it, a failed WooCommerce connect leaves nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { readConfig } from '../src/node/config.ts';
import { startNode, type RunningNode } from '../src/node/server.ts';
import { eventually } from './support/shopifySender.ts';
import { deleteChange, orderChange, SHOP, SHOP_DOMAIN, storeOrder } from './stores/harness.ts';

const TOKEN = 'admin-token-for-destination-tests';
let dir: string;
let node: RunningNode;

async function start(env: Record<string, string> = {}): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'ob-admin-destinations-'));
  node = await startNode(readConfig({
    PORT: '0', DATABASE_PATH: join(dir, 'orderbridge.db'), ADMIN_TOKEN: TOKEN, ENCRYPTION_KEY: 'destination-tests-encryption-key', ...env,
  }));
  node.storage.shops.ensure('shopify', SHOP_DOMAIN);
}
afterEach(async () => {
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; json: any }> {
  const sent = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await fetch(`${node.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(sent === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(sent === undefined ? {} : { body: sent }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const destinations = `/shops/${encodeURIComponent(SHOP)}/destinations`;

function receive(ids: string[]): void {
  node.storage.database.sqlite.transaction(() => ids.map((id) => node.storage.writer.apply(null, orderChange(storeOrder(id, 1), ['order.created']))))();
  node.storage.onCommit();
}

describe('GET /api/stores', () => {
  it('says what each store takes: its settings as JSON Schema with defaults, whether it needs a secret', async () => {
    await start();
    const { status, json } = await api('GET', '/stores');
    expect(status).toBe(200);
    expect(json.kinds).toEqual(json.stores.map((s: { kind: string }) => s.kind));
    const engage = json.stores.find((s: { kind: string }) => s.kind === 'engage');
    expect(engage).toMatchObject({
      title: 'Engage Order History', batchSize: 250, requiresSecret: true,
      settings: { type: 'object', additionalProperties: false, properties: { maxOrderAgeDays: { type: 'integer', default: 730 } } },
    });
    expect(engage.settings.properties.baseUrl.default).toMatch(/^https:\/\//);
    expect(json.stores.find((s: { kind: string }) => s.kind === 'local')).toMatchObject({ requiresSecret: false });
    expect(json.stores.find((s: { kind: string }) => s.kind === 'voyado').settings.properties.tenant).toMatchObject({ type: 'string' });
  });
});

describe('POST /api/shops/:shop/destinations', () => {
  it('refuses a setting it does not know, naming it, rather than dropping it for the production URL', async () => {
    await start();
    const typo = await api('POST', destinations, { kind: 'engage', settings: { baseurl: 'http://127.0.0.1:1' }, secret: 'k' });
    expect(typo).toEqual({ status: 400, json: expect.objectContaining({ error: 'invalid_settings', message: 'settings: Unrecognized key: "baseurl"' }) });
    const nested = await api('POST', destinations, { kind: 'engage', settings: { statuses: { plced: 'new' } }, secret: 'k' });
    expect(nested.json).toMatchObject({ error: 'invalid_settings', message: 'settings.statuses: Unrecognized key: "plced"' });
    const voyado = await api('POST', destinations, { kind: 'voyado', settings: { tenant: 'brand', action: {} }, secret: 'k' });
    expect(voyado.json).toMatchObject({ error: 'invalid_settings', message: expect.stringContaining('Unrecognized key: "action"') });
    const ftp = await api('POST', destinations, { kind: 'esputnik-orders', settings: { baseUrl: 'ftp://example.com/api' }, secret: 'k' });
    expect(ftp).toEqual({ status: 400, json: expect.objectContaining({ message: 'settings.baseUrl: an http:// or https:// URL' }) });
    const misspelt = await api('POST', destinations, { kind: 'engage', setings: { baseUrl: 'http://127.0.0.1:1' }, secret: 'k' });
    expect(misspelt).toEqual({ status: 400, json: expect.objectContaining({ error: 'invalid_body', message: 'body: Unrecognized key: "setings"' }) });
    const local = await api('POST', destinations, { kind: 'local', id: 'archive', settings: { anything: 1 } });
    expect(local.json).toMatchObject({ error: 'invalid_settings', message: 'settings: Unrecognized key: "anything"' });
    expect((await api('GET', destinations)).json.items.map((d: { kind: string }) => d.kind)).toEqual(['local']);
  });

  it('refuses a store that needs a key without one; keeps the stored key when settings change', async () => {
    await start();
    const none = await api('POST', destinations, { kind: 'expertsender', settings: {} });
    expect(none).toEqual({ status: 400, json: expect.objectContaining({ error: 'missing_secret', message: expect.stringContaining('"secret"') }) });
    expect((await api('POST', destinations, { kind: 'expertsender', settings: {}, secret: 'es-key' })).status).toBe(201);
    const changed = await api('POST', destinations, { kind: 'expertsender', settings: { batchSize: 10 } });
    expect(changed).toMatchObject({ status: 200, json: { hasSecret: true, settings: { batchSize: 10 } } });
    expect((await api('POST', destinations, { kind: 'local', id: 'copy' })).status).toBe(201); // the local store needs none
  });

  it('never hands one store\'s key to another: a destination changing kind needs its own secret', async () => {
    await start();
    expect((await api('POST', destinations, { id: 'main', kind: 'engage', settings: { maxOrderAgeDays: 0 }, secret: 'engage-token' })).status).toBe(201);
    // Nor its settings: left out, they are the new store's defaults (Engage's would not even read as Voyado's).
    const bare = await api('POST', destinations, { id: 'main', kind: 'expertsender', secret: 'es-key' });
    expect(bare).toMatchObject({ status: 200, json: { kind: 'expertsender', settings: { baseUrl: 'https://api.ecdp.app', batchSize: 1 } } });
    expect(bare.json.settings).not.toHaveProperty('maxOrderAgeDays');
    const switched = await api('POST', destinations, { id: 'main', kind: 'voyado', settings: { tenant: 'brand' } });
    expect(switched).toEqual({ status: 400, json: expect.objectContaining({ error: 'missing_secret' }) });
    const local = await api('POST', destinations, { id: 'main', kind: 'local' });
    expect(local).toMatchObject({ status: 200, json: { kind: 'local', hasSecret: false } });
  });

  it('a destination changing store: each order waiting for it is the new store\'s first version of it (firstSeen)', async () => {
    await start({ DELIVERY_ENABLED: 'false' });
    expect((await api('POST', destinations, { id: 'main', kind: 'local' })).status).toBe(201);
    receive(['4801']);
    const main = `${SHOP}:main`;
    const firstSeen = () => node.storage.outbox.list({ destinationId: main, limit: 10 }).map((r) => r.firstSeen);
    node.storage.database.sqlite.prepare('UPDATE outbox SET first_seen = 0').run(); // as a later version of the old store's would be
    await api('POST', destinations, { id: 'main', kind: 'local', settings: {} });
    expect(firstSeen()).toEqual([false]);
    await api('POST', destinations, { id: 'main', kind: 'esputnik-events', secret: 'k' });
    expect(firstSeen()).toEqual([true]);
  });

  it('answers a body that is not JSON with invalid_json', async () => {
    await start();
    expect(await api('POST', destinations, undefined, '{"kind": "engage",')).toEqual({
      status: 400, json: expect.objectContaining({ error: 'invalid_json', message: 'the request body is not JSON' }),
    });
    expect((await api('POST', '/shops', undefined, 'platform=woocommerce')).json).toMatchObject({ error: 'invalid_json' });
  });

  it('pauses a destination whose stored settings no longer read, as they are; resuming it needs settings that read', async () => {
    await start();
    await api('POST', destinations, { kind: 'engage', settings: { baseUrl: 'https://engage.example' }, secret: 't' });
    const row = node.storage.shops.destination(`${SHOP}:engage`)!;
    node.storage.shops.upsertDestination({ ...row, settings: '{"baseurl":"https://engage.example"}' }); // as a hand edit leaves it
    const paused = await api('POST', destinations, { kind: 'engage', enabled: false });
    expect(paused).toMatchObject({ status: 200, json: { enabled: false, settings: { baseurl: 'https://engage.example' } } });
    expect(await api('POST', destinations, { kind: 'engage', enabled: true })).toMatchObject({ status: 400, json: { error: 'invalid_settings' } });
    expect((await api('POST', destinations, { kind: 'engage', enabled: true, settings: { baseUrl: 'https://engage.example' } })).json)
      .toMatchObject({ enabled: true, settings: { baseUrl: 'https://engage.example' }, hasSecret: true });
  });

  it('answers a body over 256 KiB with 413, whether its length is announced or it comes in chunks, and stays up', async () => {
    await start();
    // Announced: answered from the headers, before the 10 MB arrive (raw socket: fetch calls an answer before its upload ends a failure).
    const { hostname, port } = new URL(node.url);
    const early = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write([`POST /api${destinations} HTTP/1.1`, `host: ${hostname}`, `authorization: Bearer ${TOKEN}`,
          'content-type: application/json', `content-length: ${10 * 1024 * 1024}`, '', `{"kind":"engage","note":"${'x'.repeat(300 * 1024)}`].join('\r\n'));
      });
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(early).toMatch(/^HTTP\/1\.1 413 /);
    expect(early).toContain('"error":"body_too_large"');
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 64; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(16 * 1024)));
        controller.close();
      },
    });
    const streamed = await fetch(`${node.url}/api/dead-letters/replay`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: chunks, duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: 'body_too_large' });
    expect((await api('GET', destinations)).status).toBe(200);
  });
});

describe('GET /api/shops/:shop/destinations', () => {
  it('shows what waits for each destination and, when it is failing, the store\'s last error', async () => {
    await start({ DELIVERY_POLL_MS: '10', DELIVERY_BACKOFF_BASE_MS: '60000', DELIVERY_BACKOFF_MAX_MS: '60000' });
    await api('POST', destinations, { kind: 'engage', settings: { baseUrl: 'http://127.0.0.1:1' }, secret: 'k' });
    receive(['4301']);
    const engage = await eventually(async () => {
      const { json } = await api('GET', destinations);
      const d = json.items.find((i: { kind: string }) => i.kind === 'engage');
      return d.queue.retrying ? d : undefined;
    }, 10_000, 'the unreachable store retrying');
    expect(engage.queue).toMatchObject({ count: 1, capped: false, retrying: { attempts: 1, lastError: expect.any(String) } });
    expect(Date.parse(engage.queue.retrying.nextAttemptAt)).toBeGreaterThan(Date.now());
    const local = await eventually(async () => {
      const { json } = await api('GET', destinations);
      const d = json.items.find((i: { kind: string }) => i.kind === 'local');
      return d.queue.count === 0 ? d : undefined;
    }, 10_000, 'the local store delivered');
    expect(local.queue).toEqual({ count: 0, capped: false, retrying: null });
  });
});

describe('a disabled destination', () => {
  it('is paused: orders arriving meanwhile wait for it, and go once it is enabled again', async () => {
    const engage = await startEngageSimulator({ port: 0 });
    try {
      await start({ DELIVERY_POLL_MS: '10' });
      const settings = { baseUrl: engage.url, maxOrderAgeDays: 0 };
      await api('POST', destinations, { kind: 'engage', settings, secret: engage.token, enabled: false, requestsPerSecond: 7 });
      receive(['4401', '4402']);
      const ofEngage = `/outbox?destination=${encodeURIComponent(`${SHOP}:engage`)}`;
      // The local store delivers meanwhile; the paused one keeps its rows and sends nothing.
      await eventually(async () => ((await api('GET', `/outbox?destination=${encodeURIComponent(`${SHOP}:local`)}`)).json.total.count === 0 ? true : undefined), 10_000, 'local delivered');
      expect((await api('GET', ofEngage)).json.total.count).toBe(2);
      expect(engage.orders.size).toBe(0);

      // Only "enabled" given: the settings (the simulator's URL, not Engage's production one), the pace and the secret stay.
      const resumed = await api('POST', destinations, { kind: 'engage', enabled: true });
      expect(resumed.status).toBe(200);
      expect(resumed.json).toMatchObject({ enabled: true, hasSecret: true, requestsPerSecond: 7, settings: { baseUrl: engage.url, maxOrderAgeDays: 0 } });
      await eventually(async () => (engage.orders.size === 2 ? true : undefined), 10_000, 'both orders at Engage');
      expect((await api('GET', ofEngage)).json.total.count).toBe(0);
      expect((await api('POST', destinations, { kind: 'engage', enabled: false })).json).toMatchObject({ enabled: false, settings: { baseUrl: engage.url } });
    } finally {
      await engage.close();
    }
  });
});

describe('POST /api/shops/:shop/destinations/:id/backfill', () => {
  /** Follows a job until it ends. */
  const finished = (id: number) => eventually(async () => {
    const { json } = await api('GET', `/jobs/${id}`);
    return ['done', 'failed', 'cancelled'].includes(json.state) ? json : undefined;
  }, 10_000, `job ${id} to end`);

  it('sends a store added to a running shop the orders it never got (newest versions, none deleted, within a range)', async () => {
    const engage = await startEngageSimulator({ port: 0 });
    try {
      await start({ DELIVERY_POLL_MS: '10' });
      const at = (id: string, createdAt: string) => orderChange(storeOrder(id, 1, { createdAt }), ['order.created']);
      node.storage.database.sqlite.transaction(() => {
        for (const change of [at('5001', '2026-10-01T10:00:00.000Z'), at('5002', '2026-10-15T10:00:00.000Z'), at('5003', '2026-11-01T10:00:00.000Z'), at('5004', '2026-11-01T11:00:00.000Z')]) {
          node.storage.writer.apply(null, change);
        }
        node.storage.writer.apply(null, orderChange(storeOrder('5002', 2, { createdAt: '2026-10-15T10:00:00.000Z' }), ['order.updated']));
        node.storage.writer.apply(null, deleteChange('5004', '2026-11-01T12:00:00.000Z'));
      })();
      await new Promise((resolve) => setTimeout(resolve, 5)); // the store is added after those were received
      const backfill = `${destinations}/engage/backfill`;
      expect((await api('POST', backfill)).status).toBe(404);
      await api('POST', destinations, { kind: 'engage', settings: { baseUrl: engage.url, maxOrderAgeDays: 0 }, secret: engage.token });
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the margin a backfill allows for a late-seeing process
      receive(['5005']); // arrives after: queued for Engage as any webhook
      await eventually(async () => (engage.orders.size === 1 ? true : undefined), 10_000, 'the new order at Engage');

      for (const bad of ['{"from":"yesterday"}', '{"to":9000000000000000}', '{"from":"2026-11-01","to":"2026-10-01"}', '{"since":"2026-01-01"}']) {
        expect(await api('POST', backfill, undefined, bad), bad).toMatchObject({ status: 400, json: { error: 'invalid_body' } });
      }
      expect((await api('POST', `/shops/${encodeURIComponent('shopify:other.myshopify.com')}/destinations/${encodeURIComponent(`${SHOP}:engage`)}/backfill`)).status).toBe(404);
      // Answered at once with a job to follow; it queues what the range holds.
      const ranged = await api('POST', backfill, { from: '2026-10-10T00:00:00Z', to: '2026-11-01T00:00:00Z' });
      expect(ranged).toMatchObject({ status: 202, json: { kind: 'backfill', destinations: [`${SHOP}:engage`], range: { from: '2026-10-10T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' } } });
      expect(await finished(ranged.json.id)).toMatchObject({ state: 'done', counts: { seen: 1, queued: 1 } });
      await eventually(async () => (engage.orders.has('5002') ? true : undefined), 10_000, '5002 at Engage');
      expect(engage.orders.get('5002')).toMatchObject({ order_value: 40.01 }); // its newest version (the first was 30.01)
      // 5001, 5002 again, 5003: not the deleted 5004, not 5005 (received after the store was added).
      expect(await finished((await api('POST', backfill)).json.id)).toMatchObject({ state: 'done', counts: { seen: 5, queued: 3, skipped: 2 } });
      await eventually(async () => (engage.orders.size === 4 ? true : undefined), 10_000, 'every held order at Engage');
      expect([...engage.orders.keys()].sort()).toEqual(['5001', '5002', '5003', '5005']);
    } finally {
      await engage.close();
    }
  });
});

describe('a destination fixed while what failed under it waits', () => {
  /** Engage and an orderbridge with ten minutes of back-off, its Engage destination given a wrong token. */
  async function withWrongToken(run: (engage: Awaited<ReturnType<typeof startEngageSimulator>>) => Promise<void>): Promise<void> {
    const engage = await startEngageSimulator({ port: 0 });
    try {
      await start({ DELIVERY_POLL_MS: '10', DELIVERY_BACKOFF_BASE_MS: '600000', DELIVERY_BACKOFF_MAX_MS: '900000' });
      await api('POST', destinations, { kind: 'engage', settings: { baseUrl: engage.url, maxOrderAgeDays: 0 }, secret: 'a-wrong-token' });
      await run(engage);
    } finally {
      await engage.close();
    }
  }

  it('retries the rows waiting out a back-off at once with the new key, not after the back-off of the broken one', async () => {
    await withWrongToken(async (engage) => {
      receive(['4601', '4602']);
      const engageOf = async () => (await api('GET', destinations)).json.items.find((d: { kind: string }) => d.kind === 'engage');
      const failing = await eventually(async () => ((await engageOf())?.queue.retrying ? await engageOf() : undefined), 10_000, 'a 401 from Engage');
      expect(failing.queue).toMatchObject({ count: 2, retrying: { attempts: 1, lastError: expect.stringContaining('401') } });
      // Resuming or a new pace changes nothing the store refused: the back-off stands.
      await api('POST', destinations, { kind: 'engage', enabled: true, requestsPerSecond: 50 });
      expect((await engageOf()).queue.retrying.nextAttemptAt).toBe(failing.queue.retrying.nextAttemptAt);
      // Ten minutes of back-off ahead; the right token makes the rows due now.
      expect((await api('POST', destinations, { kind: 'engage', secret: engage.token })).status).toBe(200);
      await eventually(async () => (engage.orders.size === 2 ? true : undefined), 10_000, 'both orders at Engage');
    });
  });

  it('retries what a batch out meanwhile failed under the old key at once, not after a back-off', async () => {
    await withWrongToken(async (engage) => {
      engage.faults.set({ slowRate: 1, slowMs: 800 }); // the batch is out for 0.8 s, then refused (401)
      receive(['4701']);
      await new Promise((r) => setTimeout(r, 250));
      expect((await api('POST', destinations, { kind: 'engage', secret: engage.token })).status).toBe(200);
      engage.faults.clear();
      await eventually(async () => (engage.orders.size === 1 ? true : undefined), 10_000, 'the order at Engage with the new key');
    });
  });
});

describe('DELETE /api/shops/:shop/destinations/:id', () => {
  it('drops what was queued for it (nothing could deliver it), by the short id as POST took it', async () => {
    await start({ DELIVERY_ENABLED: 'false' }); // receive only: the rows stay queued
    expect((await api('POST', destinations, { kind: 'engage', id: 't3', settings: {}, secret: 'k' })).status).toBe(201);
    receive(['4101', '4102']);
    const ofT3 = `/outbox?destination=${encodeURIComponent(`${SHOP}:t3`)}`;
    expect((await api('GET', ofT3)).json.total).toEqual({ count: 2, capped: false });

    expect(await api('DELETE', `${destinations}/t3`)).toEqual({ status: 200, json: { removed: `${SHOP}:t3`, queuedRowsDropped: 2 } });
    expect((await api('GET', ofT3)).json.total).toEqual({ count: 0, capped: false });
    expect((await api('GET', '/outbox')).json.total).toEqual({ count: 2, capped: false }); // the local store's rows stay
    expect((await api('DELETE', `${destinations}/t3`)).status).toBe(404);
    expect((await api('DELETE', `${destinations}/${encodeURIComponent(`${SHOP}:local`)}`)).json).toMatchObject({ removed: `${SHOP}:local` });
  });

  it('refuses to remove the destination DESTINATION_KIND configures (every start would give it back)', async () => {
    await start({ DESTINATION_KIND: 'engage', DESTINATION_SECRET: 'k', DELIVERY_ENABLED: 'false' });
    expect(await api('DELETE', `${destinations}/engage`)).toEqual({
      status: 409, json: expect.objectContaining({ error: 'configured_by_environment', message: expect.stringContaining('DESTINATION_KIND=engage') }),
    });
    expect((await api('GET', destinations)).json.items.map((d: { kind: string }) => d.kind).sort()).toEqual(['engage', 'local']);
    // Nor overwritten until the next start: the environment says what it is.
    expect(await api('POST', destinations, { kind: 'engage', settings: {}, secret: 'other' })).toEqual({
      status: 409, json: expect.objectContaining({ error: 'configured_by_environment', message: expect.stringContaining('DESTINATION_SETTINGS') }),
    });
    expect((await api('POST', destinations, { kind: 'engage', id: 'second', settings: {}, secret: 'other' })).status).toBe(201);
  });

  it('keeps its dead letters, and a replay of one says the destination is gone instead of queueing forever', async () => {
    await start({ DELIVERY_POLL_MS: '10', DELIVERY_BACKOFF_BASE_MS: '5', DELIVERY_BACKOFF_MAX_MS: '20', DELIVERY_MAX_ATTEMPTS: '2' });
    await api('POST', destinations, { kind: 'engage', settings: { baseUrl: 'http://127.0.0.1:1' }, secret: 'k' });
    receive(['4201']);
    const letters = await eventually(async () => {
      const { json } = await api('GET', `/dead-letters?destination=${encodeURIComponent(`${SHOP}:engage`)}`);
      return json.items.length > 0 ? json.items : undefined;
    }, 10_000, 'a dead letter for the unreachable store');
    expect((await api('DELETE', `${destinations}/engage`)).status).toBe(200);
    expect(await api('POST', `/dead-letters/${letters[0].id}/replay`)).toEqual({
      status: 409, json: expect.objectContaining({ error: 'destination_removed' }),
    });
    expect((await api('GET', '/outbox?destination=' + encodeURIComponent(`${SHOP}:engage`))).json.total.count).toBe(0);
  });
});

describe('DELETE /api/shops/:shop', () => {
  it('forgets a shop: its orders, local copies, queue, letters (of destinations removed before too), destinations and the shop', async () => {
    await start({ DELIVERY_POLL_MS: '10', DELIVERY_BACKOFF_BASE_MS: '5', DELIVERY_BACKOFF_MAX_MS: '20', DELIVERY_MAX_ATTEMPTS: '1' });
    // A letter of a destination removed before the shop.
    await api('POST', destinations, { kind: 'engage', id: 'old', settings: { baseUrl: 'http://127.0.0.1:1' }, secret: 'k' });
    receive(['4500']);
    await eventually(async () => ((await api('GET', '/dead-letters')).json.items.length > 0 ? true : undefined), 10_000, 'a letter');
    expect((await api('DELETE', `${destinations}/old`)).status).toBe(200);
    await api('POST', destinations, { kind: 'engage', settings: {}, secret: 'k', enabled: false });
    receive(['4501', '4502']);
    await eventually(async () => ((await api('GET', '/orders')).json.orders.length === 3 ? true : undefined), 10_000, 'the local store');
    expect((await api('GET', '/outbox')).json.total.count).toBe(2); // the paused engage's
    const shopPath = `/shops/${encodeURIComponent(SHOP)}`;
    expect(await api('DELETE', shopPath)).toEqual({ status: 200, json: { removed: SHOP } });
    expect((await api('GET', shopPath)).status).toBe(404);
    expect((await api('GET', '/outbox')).json.total.count).toBe(0);
    expect((await api('GET', '/orders')).json.orders).toEqual([]);
    const left = (table: string) => (node.storage.database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    for (const table of ['shops', 'destinations', 'orders', 'outbox', 'receipts', 'dead_letters', 'local_orders', 'local_events']) expect(left(table), table).toBe(0);
    expect((await api('DELETE', shopPath)).status).toBe(404);
  });
});

describe('POST /api/shops (WooCommerce)', () => {
  it('leaves no shop behind when the shop cannot be reached', async () => {
    await start();
    const r = await api('POST', '/shops', {
      platform: 'woocommerce', url: 'http://127.0.0.1:1', consumerKey: 'ck_x', consumerSecret: 'cs_x', deliveryUrl: 'http://127.0.0.1:9/webhooks/woocommerce',
    });
    expect(r).toMatchObject({ status: 502, json: { error: 'woocommerce_unreachable' } });
    expect((await api('GET', '/shops')).json.items.map((s: { id: string }) => s.id)).toEqual([SHOP]);
  });

  it('takes a store currency only as three letters, and a reconnect that leaves it out keeps it', async () => {
    await start();
    const connect = (extra: Record<string, unknown>) =>
      api('POST', '/shops', { platform: 'woocommerce', url: 'https://tea.example', registerWebhooks: false, webhookSecret: 'chosen-in-wp-1', ...extra });
    for (const storeCurrency of ['€€€', '123', 'EURO']) {
      const r = await connect({ storeCurrency });
      expect(r, storeCurrency).toMatchObject({ status: 400, json: { error: 'invalid_body' } });
      expect(r.json.message, storeCurrency).toContain('storeCurrency');
    }
    expect((await connect({ storeCurrency: 'sek' })).status).toBe(201);
    expect((await connect({ webhookSecret: 'chosen-in-wp-2' })).status).toBe(201);
    const row = node.storage.shops.get('woocommerce:tea.example')!;
    expect(JSON.parse(row.settings)).toMatchObject({ storeCurrency: 'SEK' });
  });
});
