// GET /api/openapi.json describes every /api route the app serves (and none it does not), as a valid OpenAPI 3.1
// document whose request schemas are the zod schemas the routes validate with; /api/docs shows it as a page.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/app.ts';
import { WebhookSecrets } from '../src/core/shops/webhookSecrets.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { createStorage } from '../src/core/storage.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { STORES } from '../connectors/registry.ts';
import { createShopifyVerifier } from '../connectors/platforms/shopify/webhookVerifier.ts';
import { openDatabase } from '../src/node/database.ts';

const database = openDatabase(':memory:');
afterAll(() => database.close());
const clock = { now: () => Date.UTC(2026, 5, 1) };
const storage = createStorage(database, clock);
const secrets = await SecretBox.fromPassphrase('openapi-test');
const app = createApp({
  storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
  config: { adminToken: 'openapi-admin-token', maxBodyBytes: 1024 * 1024, publicUrl: null },
  webhookSecrets: new WebhookSecrets(storage.shops, secrets),
  verifyShopify: createShopifyVerifier({ secret: 'openapi-secret' }),
});

type Doc = { openapi: string; paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> } }>> };
const fetchDoc = async () => {
  const res = await app.request('/api/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
};

/** The app's /api routes as "METHOD /api/path/{param}", middleware left out. */
function servedRoutes(): string[] {
  const handlers = app.routes.filter((r) => r.path.startsWith('/api') && r.method !== 'ALL');
  return [...new Set(handlers.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`))].sort();
}

describe('the admin API described', () => {
  it('lists every /api route the app serves, and nothing it does not', async () => {
    const doc = await fetchDoc();
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(servedRoutes().length).toBeGreaterThan(15);
    expect(described).toEqual(servedRoutes());
  });

  it('is a valid OpenAPI 3.1 document, open without the token while the rest asks for it', async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((await app.request('/api/shops')).status).toBe(401);
  });

  it('takes its request schemas from the zod schemas the routes validate with', async () => {
    const doc = await fetchDoc();
    const destination = doc.paths['/api/shops/{shop}/destinations']!.post!;
    const body = destination.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties!).sort()).toEqual(['enabled', 'id', 'kind', 'requestsPerSecond', 'secret', 'settings']);
    expect(body.required).toEqual(['kind']);
    expect(destination.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:shop']);
    const orders = doc.paths['/api/orders']!.get!;
    expect(orders.parameters.map((p) => p.name).sort()).toEqual(['cursor', 'limit', 'shop', 'updatedFrom', 'updatedTo']);
    // What the schema refuses, the route refuses: the field the document requires is the one the 400 names.
    storage.shops.ensure('shopify', 'openapi.myshopify.com');
    const refused = await app.request('/api/shops/shopify:openapi.myshopify.com/destinations', {
      method: 'POST', headers: { authorization: 'Bearer openapi-admin-token', 'content-type': 'application/json' }, body: '{}',
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_body', message: expect.stringContaining('kind') });
  });

  it('shows the same operations as a page to read, with nothing fetched from elsewhere', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    for (const route of servedRoutes()) expect(page).toContain(`<code>${route.split(' ')[1]!}</code>`);
    expect(page).not.toMatch(/<script|(src|href)="https?:/);
  });
});
