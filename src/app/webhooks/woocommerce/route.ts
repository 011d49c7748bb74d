import { Hono } from 'hono';
import { parseJsonLossless } from '../../../core/canonical/index.ts';
import type { Change } from '../../../core/pipeline/change.ts';
import { shopId } from '../../../core/shops/registry.ts';
import { SecretUnreadable } from '../../../core/state/secretBox.ts';
import { wooChange } from './change.ts';
import { readWooWebhook, verifyWooSignature, wooReceiptKey } from '../../../../connectors/platforms/woocommerce/index.ts';
import type { AppDeps } from '../../appDeps.ts';
import { problem } from '../../problem.ts';
import type { WebhookEnv } from '../webhookBody.ts';

export function wooWebhookRoute(deps: AppDeps): Hono<WebhookEnv> {
  const route = new Hono<WebhookEnv>();
  route.post('/', async (c) => {
    const raw = c.get('rawBody');
    const webhook = readWooWebhook(c.get('webhookHeaders'), raw);
    // WooCommerce deletes nothing but disables a webhook whose ping does not get exactly 200.
    if (webhook.kind === 'ping') {
      c.set('outcome', 'ping');
      return c.json({ ok: true, ping: true, webhookId: webhook.webhookId }, 200);
    }
    if (webhook.kind === 'invalid') return problem(c, 401, 'invalid_webhook', webhook.reason);
    if (webhook.kind === 'malformed') return problem(c, 400, 'invalid_header', webhook.reason);
    const shop = deps.storage.shops.get(shopId('woocommerce', webhook.shop));
    let secret: string | null;
    try {
      secret = shop ? await deps.webhookSecrets.get(shop.id) : null;
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      // Ours to fix, not the sender's (nothing to verify against): WooCommerce keeps none of these deliveries either way.
      return problem(c, 503, 'secret_unreadable',
        `the webhook secret of ${webhook.shop} cannot be opened with this ENCRYPTION_KEY: restore the key, or connect the shop again`);
    }
    if (!shop || !secret) return problem(c, 401, 'unknown_shop', `no connected WooCommerce shop ${webhook.shop}`);
    if (!(await verifyWooSignature(c.get('rawBytes'), webhook.signature, secret))) {
      return problem(c, 401, 'invalid_signature', 'X-WC-Webhook-Signature does not match the body');
    }
    c.set('webhookSource', { topic: webhook.topic, shop: webhook.shop });
    let payload: unknown;
    try {
      payload = parseJsonLossless(raw);
    } catch (error) {
      return problem(c, 400, 'invalid_json', `body is not JSON: ${(error as Error).message}`);
    }
    const settings = JSON.parse(shop.settings) as { storeCurrency?: string };
    let change: Change;
    try {
      change = wooChange(webhook.topic, payload, shop.domain, settings.storeCurrency, deps.clock.now());
    } catch (error) {
      change = { kind: 'quarantine', body: raw, error: `${webhook.topic}: ${(error as Error).message}` };
    }
    const receiptId = `woocommerce:${await wooReceiptKey(webhook, c.get('rawBytes'))}`;
    const result = await deps.storage.ingest.submit({ id: receiptId, shopId: shop.id, topic: webhook.topic, eventId: null }, change);
    c.set('outcome', result.outcome);
    return c.json({ ...result, ...(result.outcome === 'ignored' ? { ignored: true } : {}) }, 200);
  });
  return route;
}
