// The resync routes over a real SQLite database, no job runner: a shop without credentials refused, resyncs queued as jobs, an overlapping range of the same shop refused while one is unfinished (a
// reconciliation pass never in the way), cancel; and the comparison that decides an order is unchanged.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/app.ts';
import { WebhookSecrets } from '../src/core/shops/webhookSecrets.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { sameJson } from '../src/core/resync/resyncWriter.ts';
import { RESYNC } from '../src/core/resync/resyncJobs.ts';
import { STORES } from '../connectors/registry.ts';
import { createShopifyVerifier } from '../connectors/platforms/shopify/webhookVerifier.ts';
import { openDatabase } from '../src/node/database.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const path = scratchDatabases()('ob-resync-routes-');
const database = openDatabase(path);
afterAll(() => database.close());
const clock = { now: () => Date.UTC(2026, 5, 1) };
const storage = createStorage(database, clock);
const secrets = await SecretBox.fromPassphrase('resync-routes-test');
const app = createApp({
  storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
  config: { adminToken: 'token', maxBodyBytes: 1024 * 1024, publicUrl: null },
  webhookSecrets: new WebhookSecrets(storage.shops, secrets),
  verifyShopify: createShopifyVerifier({ secret: 'secret' }),
});
const api = async (method: string, url: string, body?: unknown) => {
  const res = await app.request(`/api${url}`, { method, headers: { authorization: 'Bearer token', 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, any>, location: res.headers.get('location') };
};
const SHOP = 'shopify:routes.myshopify.com';
const resyncs = `/shops/${encodeURIComponent(SHOP)}/resync`;

describe('resync routes', () => {
  it('a shop without API credentials cannot be resynced: 409 saying how to give them', async () => {
    storage.shops.ensure('shopify', 'routes.myshopify.com');
    expect(await api('POST', resyncs, { from: '2026-01-01', to: '2026-04-01' })).toMatchObject({ status: 409, json: { error: 'no_credentials', message: expect.stringContaining('accessToken') } });
    storage.shops.update(SHOP, { credentialsSealed: await secrets.seal(JSON.stringify({ accessToken: 'shpat_routes' })) });
  });

  it('queues a resync as a job (202, Location), and refuses an overlapping range of the shop while it is unfinished', async () => {
    const started = await api('POST', resyncs, { from: '2026-01-01', to: '2026-04-01' });
    expect(started).toMatchObject({
      status: 202, location: `/api/resync/${started.json.id}`,
      json: { state: 'queued', shop: SHOP, range: { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', by: 'created' }, destinations: [`${SHOP}:local`], force: false, pages: 0 },
    });
    expect(await api('POST', resyncs, { from: '2026-03-01', to: '2026-05-01' })).toMatchObject({ status: 409, json: { error: 'resync_overlaps', resync: started.json.id } });
    expect(await api('POST', resyncs, { from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00Z', by: 'updated' })).toMatchObject({ status: 409 });
    const after = await api('POST', resyncs, { from: '2026-04-01', to: '2026-05-01', force: true });
    expect(after).toMatchObject({ status: 202, json: { force: true } });
    // A reconciliation pass of the shop is never in the way.
    storage.jobs.create({ kind: RESYNC, shopId: SHOP, destinations: [], range: { from: 0, to: Date.UTC(2027, 0, 1) }, options: { by: 'updated', reconcile: true } });
    expect((await api('POST', resyncs, { from: '2025-01-01', to: '2025-06-01' })).status).toBe(202);

    const listed = await api('GET', `/resync?shop=${encodeURIComponent(SHOP)}`);
    expect(listed.json.items.map((r: { id: number }) => r.id)).toContain(started.json.id);
    expect((await api('DELETE', `/resync/${started.json.id}`)).json.state).toBe('cancelled');
    expect(await api('DELETE', `/resync/${started.json.id}`)).toMatchObject({ status: 409, json: { error: 'job_finished' } });
    // Cancelled, it no longer holds the range.
    expect((await api('POST', resyncs, { from: '2026-03-01', to: '2026-04-01' })).status).toBe(202);
    expect((await api('GET', '/resync/abc')).status).toBe(404);
  });
});

describe('sameJson', () => {
  it('compares JSON values whatever the order of their keys, and nothing else', () => {
    expect(sameJson({ a: 1, b: [1, { c: null, d: 'x' }] }, { b: [1, { d: 'x', c: null }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true); // as JSON.stringify writes them
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});
