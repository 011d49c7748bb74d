// A full disk (SQLite's own page cap stands in for it: PRAGMA max_page_count, no root or tmpfs needed) answers webhooks
// 503 with Retry-After, so the platform retries; nothing is half-written, and the same webhook is taken once space returns.
import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyVerifier } from '../connectors/platforms/shopify/webhookVerifier.ts';
import { STORES } from '../connectors/registry.ts';
import { createApp } from '../src/app/app.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { WebhookSecrets } from '../src/core/shops/webhookSecrets.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { openDatabase, type OpenDatabase } from '../src/node/database.ts';
import { shopifyDocsOrderBody } from './support/fixtures.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const SECRET = 'full-disk-secret';
const scratchDb = scratchDatabases();
let database: OpenDatabase | undefined;
afterEach(() => database?.close());

describe('the database disk full', () => {
  it('answers webhooks 503 with Retry-After, stores nothing of them, and takes them once space returns', async () => {
    database = openDatabase(scratchDb('ob-full-'));
    const clock = { now: () => Date.now() };
    const storage = createStorage(database, clock);
    const secrets = await SecretBox.fromPassphrase('full');
    const app = createApp({
      storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
      config: { adminToken: 'token', maxBodyBytes: 2 * 1024 * 1024, publicUrl: null },
      webhookSecrets: new WebhookSecrets(storage.shops, secrets), verifyShopify: createShopifyVerifier({ secret: SECRET }),
    });
    const send = (id: string, webhookId: string) => {
      const body = shopifyDocsOrderBody({ id, note: 'n'.repeat(20_000) });
      return app.request('/webhooks/shopify', { method: 'POST', body, headers: {
        'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'full-shop.myshopify.com',
        'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'), 'x-shopify-api-version': '2026-01',
        'x-shopify-webhook-id': webhookId, 'x-shopify-event-id': randomUUID(), 'x-shopify-triggered-at': new Date().toISOString(),
      } });
    };
    expect((await send('1001', randomUUID())).status).toBe(200);
    const rows = (table: string) => (database!.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const counts = () => ({ orders: rows('orders'), outbox: rows('outbox'), receipts: rows('receipts') });
    // No page more than the file has now: once its free pages are used, the next write that needs one fails as on a full disk.
    database.sqlite.pragma(`max_page_count = ${database.sqlite.pragma('page_count', { simple: true }) as number}`);

    let id = 1002;
    let webhookId = randomUUID();
    let before = counts();
    let full = await send(String(id), webhookId);
    for (let i = 0; i < 50 && full.status === 200; i++) {
      id++;
      webhookId = randomUUID();
      before = counts();
      full = await send(String(id), webhookId);
    }
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBeTruthy();
    expect(await full.json()).toMatchObject({ error: 'storage_unavailable' });
    // Nothing of the refused webhook: no receipt (so its retry is not a duplicate), no order, no outbox row.
    expect(counts()).toEqual(before);

    database.sqlite.pragma('max_page_count = 1073741823');
    const retried = await send(String(id), webhookId);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ outcome: 'accepted' });
    expect(rows('orders')).toBe(before.orders + 1);
  });
});
