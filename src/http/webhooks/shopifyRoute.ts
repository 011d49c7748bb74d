import { Hono } from 'hono';
import { parseJsonLossless } from '../../canonical/index.ts';
import type { Change } from '../../pipeline/change.ts';
import { shopId } from '../../shops/registry.ts';
import { shopifyChange } from '../../webhooks/shopifyChange.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';
import type { WebhookEnv } from '../webhookBody.ts';

/** Topics that must not bring an uninstalled shop back to life. */
const AFTER_UNINSTALL = new Set(['app/uninstalled', 'shop/redact', 'customers/redact', 'customers/data_request']);

export function shopifyWebhookRoute(deps: AppDeps): Hono<WebhookEnv> {
  const route = new Hono<WebhookEnv>();
  route.post('/', async (c) => {
    const raw = c.var.rawBody;
    const verified = await deps.verifyShopify(c.req.raw, c.var.rawBytes);
    if (!verified.valid) {
      return problem(c, 401, 'invalid_signature', `webhook rejected: ${verified.reason}`);
    }
    const { topic, domain, webhookId, eventId, triggeredAt } = verified.webhook;
    let payload: unknown;
    try {
      payload = parseJsonLossless(raw);
    } catch (error) {
      return problem(c, 400, 'invalid_json', `body is not JSON: ${(error as Error).message}`);
    }
    const { shops } = deps.storage;
    const shop = AFTER_UNINSTALL.has(topic) ? shops.get(shopId('shopify', domain)) ?? shops.ensure('shopify', domain) : shops.ensure('shopify', domain);
    const at = triggeredAt ? Date.parse(triggeredAt) : deps.clock.now();
    let change: Change;
    try {
      change = shopifyChange(topic, payload, raw, shop.domain, Number.isNaN(at) ? deps.clock.now() : at);
    } catch (error) {
      change = { kind: 'quarantine', body: raw, error: `${topic}: ${(error as Error).message}` };
    }
    const result = await deps.storage.ingest.submit(
      { id: `${shop.id}:${webhookId}`, shopId: shop.id, topic, eventId }, change,
    );
    return c.json({ ...result, ...(result.outcome === 'ignored' ? { ignored: true } : {}) }, 200);
  });
  return route;
}
