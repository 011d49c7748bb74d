// shopify.app.toml, the example Shopify CLI users start from, says what the install does: the scopes it asks for,
// its redirect URL, the topics it subscribes, and the compliance topics only the configuration can subscribe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHOPIFY_SCOPES, SHOPIFY_WEBHOOK_TOPICS } from '../connectors/platforms/shopify/install/topics.ts';
import { readConfig } from '../src/node/config.ts';
import { ROOT } from './support/orderbridgeProcess.ts';

interface AppToml {
  client_id: string;
  application_url: string;
  embedded: boolean;
  access_scopes: { scopes: string };
  auth: { redirect_urls: string[] };
  webhooks: { api_version: string; subscriptions: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }> };
}

const toml = parse(readFileSync(join(ROOT, 'shopify.app.toml'), 'utf8')) as unknown as AppToml;
// ORDERS_PARTIALLY_FULFILLED → orders/partially_fulfilled: the first underscore parts resource and event.
const asPath = (topic: string) => topic.toLowerCase().replace('_', '/');

describe('shopify.app.toml', () => {
  it('asks for the scopes SHOPIFY_SCOPES defaults to, and redirects to /shopify/callback of its application_url', () => {
    expect(toml.access_scopes.scopes.split(',')).toEqual([...DEFAULT_SHOPIFY_SCOPES]);
    expect(readConfig({}).SHOPIFY_SCOPES).toEqual([...DEFAULT_SHOPIFY_SCOPES]);
    expect(toml.auth.redirect_urls).toEqual([`${toml.application_url}/shopify/callback`]);
    expect(toml.embedded).toBe(false);
  });

  it('subscribes the topics an install subscribes, and the three compliance topics, to /webhooks/shopify', () => {
    const topics = toml.webhooks.subscriptions.flatMap((s) => s.topics ?? []);
    expect(topics.sort()).toEqual(SHOPIFY_WEBHOOK_TOPICS.map(asPath).sort());
    expect(toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []).sort()).toEqual(['customers/data_request', 'customers/redact', 'shop/redact']);
    for (const s of toml.webhooks.subscriptions) expect(s.uri).toBe(`${toml.application_url}/webhooks/shopify`);
    expect(toml.webhooks.api_version).toBe('2026-01');
  });
});
