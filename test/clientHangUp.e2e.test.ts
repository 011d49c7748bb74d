// A client that hangs up in the middle of its body is the client's doing, not a server failure: a real
// orderbridge process prints nothing about it, and keeps answering.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app/app.ts';
import { IncompleteBody } from '../src/app/webhooks/webhookBody.ts';
import { WebhookSecrets } from '../src/core/shops/webhookSecrets.ts';
import { openDatabase } from '../src/node/database.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { STORES } from '../connectors/registry.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'hang-up-secret';

/** Sends the headers and `sent` of `declared` bytes of body, waits until the server has read them, then resets the connection. */
function hangUpMidBody(url: string, path: string, opts: { declared: number; sent: number; chunked?: boolean }): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const length = opts.chunked ? 'transfer-encoding: chunked' : `content-length: ${opts.declared}`;
      const part = '{"id":1,'.padEnd(opts.sent, ' ');
      socket.write([`POST ${path} HTTP/1.1`, `host: ${hostname}`, 'content-type: application/json', length,
        'x-shopify-topic: orders/create', 'x-shopify-shop-domain: hang-up.myshopify.com', '', ''].join('\r\n'));
      socket.write(opts.chunked ? `${part.length.toString(16)}\r\n${part}\r\n` : part);
      // Long enough for the server to have the headers and the first bytes, and to be waiting for the rest.
      setTimeout(() => {
        socket.resetAndDestroy();
        resolve();
      }, 300);
    });
    socket.on('error', reject);
  });
}

describe('a client that hangs up mid-body', () => {
  let ob: OrderbridgeProcess;
  beforeAll(async () => {
    ob = await startOrderbridge({ SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: 'hang-up-token' });
  });
  afterAll(async () => {
    await ob?.stop();
  });

  it('leaves no line on stderr, and the server keeps answering webhooks and /health', async () => {
    const before = ob.output().length;
    for (const path of ['/webhooks/shopify', '/webhooks/woocommerce']) {
      await hangUpMidBody(ob.url, path, { declared: 4096, sent: 1024 });
      await hangUpMidBody(ob.url, path, { declared: 4096, sent: 1024, chunked: true });
    }
    // An admin body cut short too: the admin API reads its body another way.
    await hangUpMidBody(ob.url, '/api/dead-letters/replay', { declared: 4096, sent: 16 });

    const order = JSON.stringify({
      id: 77, name: '#77', email: 'ann@example.com', currency: 'EUR', created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
      financial_status: 'paid', total_price: '10.00', subtotal_price: '10.00', total_tax: '0.00', total_discounts: '0.00', line_items: [],
    });
    const answered = await sendShopifyWebhook(ob.url, { topic: 'orders/create', body: order, secret: SECRET, shop: 'hang-up.myshopify.com' });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ outcome: 'accepted' });
    expect((await fetch(`${ob.url}/health`)).status).toBe(200);
    // The process had every hang-up in hand before the webhook above was answered on a new connection; give its log a moment.
    await eventually(async () => ((await fetch(`${ob.url}/health`)).ok ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    expect(ob.output().slice(before)).not.toMatch(/aborted|ECONNRESET|failed|error/i);
    expect(ob.child.exitCode).toBeNull();
  });
});

describe('what is printed: a hang-up is not, a failure of ours still is', () => {
  const scratchDb = scratchDatabases();

  it('an IncompleteBody from the body reader is answered quietly; a verifier that throws is printed and answered 500', async () => {
    const database = openDatabase(scratchDb('ob-hang-up-'));
    const clock = { now: () => Date.now() };
    const storage = createStorage(database, clock);
    const secrets = await SecretBox.fromPassphrase('hang-up-test');
    const app = createApp({
      storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
      config: { adminToken: 't', maxBodyBytes: 1024, publicUrl: null },
      webhookSecrets: new WebhookSecrets(storage.shops, secrets),
      readWebhookBody: async (c) => {
        if (c.req.header('x-hang-up')) throw new IncompleteBody(new Error('aborted'));
        return { bytes: new Uint8Array([123, 125]), text: '{}', headers: c.req.raw.headers };
      },
      verifyShopify: () => Promise.reject(new Error('the verifier broke')),
    });
    // No telemetry here: the app's logger writes JSON lines on the console.
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const hungUp = await app.request('/webhooks/shopify', { method: 'POST', body: '{}', headers: { 'x-hang-up': '1' } });
      expect(hungUp.status).toBe(400);
      expect(await hungUp.json()).toMatchObject({ error: 'incomplete_body' });
      expect(printed).not.toHaveBeenCalled();

      const broken = await app.request('/webhooks/shopify', { method: 'POST', body: '{}' });
      expect(broken.status).toBe(500);
      const lines = printed.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
      expect(lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'request failed', method: 'POST', path: '/webhooks/shopify', error: 'the verifier broke' }));
    } finally {
      printed.mockRestore();
      database.close();
    }
  });
});
