import { Hono } from 'hono';
import { shopId } from '../../shops/registry.ts';
import { translateShopifyHere } from '../../webhooks/shopifyTranslation.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';
import type { WebhookEnv } from '../webhookBody.ts';

/** Topics that must not bring an uninstalled shop back to life. */
const AFTER_UNINSTALL = new Set(['app/uninstalled', 'shop/redact', 'customers/redact', 'customers/data_request']);

export function shopifyWebhookRoute(deps: AppDeps): Hono<WebhookEnv> {
  const route = new Hono<WebhookEnv>();
  route.post('/', async (c) => {
    const raw = c.var.rawBody;
    const verified = await deps.verifyShopify(c.var.webhookHeaders, c.var.rawBytes);
    if (!verified.valid) {
      return problem(c, 401, 'invalid_signature', `webhook rejected: ${verified.reason}`);
    }
    const { topic, domain, webhookId, eventId, triggeredAt } = verified.webhook;
    const at = triggeredAt ? Date.parse(triggeredAt) : deps.clock.now();
    const translation = await (deps.translateShopify ?? translateShopifyHere)({
      topic, body: raw, shop: domain.toLowerCase(), triggeredAt: Number.isNaN(at) ? deps.clock.now() : at,
    });
    if ('invalidJson' in translation) {
      return problem(c, 400, 'invalid_json', `body is not JSON: ${translation.invalidJson}`);
    }
    const { shops } = deps.storage;
    const shop = AFTER_UNINSTALL.has(topic) ? shops.get(shopId('shopify', domain)) ?? shops.ensure('shopify', domain) : shops.ensure('shopify', domain);
    const result = await deps.storage.ingest.submit(
      { id: `${shop.id}:${webhookId}`, shopId: shop.id, topic, eventId }, translation.change,
    );
    return c.json({ ...result, ...(result.outcome === 'ignored' ? { ignored: true } : {}) }, 200);
  });
  return route;
}
