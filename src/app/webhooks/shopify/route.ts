import { Hono } from 'hono';
import { isShopDomain } from '../../../../connectors/platforms/shopify/webhookVerifier.ts';
import { hostLengthProblem, MAX_DELIVERY_ID_LENGTH, toUtcIso } from '../../../core/canonical/index.ts';
import { shopId, type ShopRow } from '../../../core/shops/registry.ts';
import { translateShopifyHere } from './translation.ts';
import type { AppDeps } from '../../appDeps.ts';
import { problem } from '../../problem.ts';
import type { WebhookEnv } from '../webhookBody.ts';

/** How far Shopify's clock may run ahead of ours before a deletion's time is taken as ours. */
const CLOCK_LEAD_MS = 5 * 60_000;

/**
 * Topics about data we may hold, not new data: they must neither bring an uninstalled shop back to life
 * nor create a shop never installed. For an unknown shop they are acknowledged (Shopify requires 200 on
 * the compliance topics) and nothing is written.
 */
const AFTER_UNINSTALL = new Set(['app/uninstalled', 'shop/redact', 'customers/redact', 'customers/data_request']);


/** The sealed API secret of a custom app the shop was connected with, opened (cached); null for an app install. */
async function customAppSecret(deps: AppDeps, domain: string | null | undefined): Promise<string | null> {
  if (!domain || !isShopDomain(domain)) return null;
  try {
    return await deps.webhookSecrets.get(shopId('shopify', domain));
  } catch {
    return null; // a secret this ENCRYPTION_KEY cannot open verifies nothing
  }
}

export function shopifyWebhookRoute(deps: AppDeps): Hono<WebhookEnv> {
  const route = new Hono<WebhookEnv>();
  route.post('/', async (c) => {
    const raw = c.get('rawBody');
    let verified = await deps.verifyShopify(c.get('webhookHeaders'), c.get('rawBytes'));
    if (!verified.valid && (verified.reason === 'invalid_hmac' || verified.reason === 'not_configured')) {
      // Not the app's signature: a shop connected with a custom app's token is checked with that app's own secret.
      const shopSecret = await customAppSecret(deps, c.get('webhookHeaders').get('x-shopify-shop-domain'));
      if (shopSecret) verified = await deps.verifyShopify(c.get('webhookHeaders'), c.get('rawBytes'), shopSecret);
    }
    if (!verified.valid) {
      // Ours to fix, not the sender's: 503 so Shopify keeps retrying until the secret is set.
      if (verified.reason === 'not_configured') {
        return problem(c, 503, 'not_configured', 'Shopify webhooks cannot be verified: SHOPIFY_API_SECRET is not set');
      }
      if (verified.reason === 'missing_headers') {
        return problem(c, 400, 'missing_headers', `webhook rejected: missing ${verified.missing.join(', ')}`, { missing: verified.missing });
      }
      // Nothing to sign or store: the request itself is malformed, whoever sent it.
      if (verified.reason === 'missing_body') return problem(c, 400, 'empty_body', 'webhook rejected: the body is empty');
      return problem(c, 401, 'invalid_signature', `webhook rejected: ${verified.reason}`);
    }
    const { topic, webhookId, eventId, triggeredAt } = verified.webhook;
    if (!isShopDomain(verified.webhook.domain)) {
      const tooLong = hostLengthProblem(verified.webhook.domain);
      return problem(c, 400, 'invalid_shop_domain', tooLong
        ? `X-Shopify-Shop-Domain is ${tooLong}`
        : `X-Shopify-Shop-Domain must be a shop's <name>.myshopify.com host; got ${JSON.stringify(verified.webhook.domain.slice(0, 100))}`);
    }
    const longId = ([['X-Shopify-Webhook-Id', webhookId], ['X-Shopify-Event-Id', eventId]] as const)
      .find(([, id]) => id !== null && id.length > MAX_DELIVERY_ID_LENGTH);
    if (longId) {
      return problem(c, 400, 'invalid_delivery_id', `${longId[0]} is ${longId[1]!.length} characters; delivery ids have at most ${MAX_DELIVERY_ID_LENGTH}`);
    }
    const domain = verified.webhook.domain.toLowerCase();
    c.set('webhookSource', { topic, shop: domain });
    const { shops } = deps.storage;
    let known: ShopRow | undefined;
    if (AFTER_UNINSTALL.has(topic)) {
      known = shops.get(shopId('shopify', domain));
      if (!known) {
        c.set('outcome', 'ignored');
        return c.json({ outcome: 'ignored', ignored: true, detail: `shop ${domain} is not known here: nothing was held for it` }, 200);
      }
    }
    // Headers are not signed: a time far ahead of ours would leave a deleted order's every later version stale
    // (a few minutes' lead is Shopify's clock, not ours, and is kept: an update made just before the deletion stays older).
    const triggered = toUtcIso(triggeredAt);
    const now = deps.clock.now();
    const translation = await (deps.translateShopify ?? translateShopifyHere)({
      topic, body: raw, shop: domain, triggeredAt: triggered === null ? now : Math.min(Date.parse(triggered), now + CLOCK_LEAD_MS),
    });
    if ('invalidJson' in translation) {
      return problem(c, 400, 'invalid_json', `body is not JSON: ${translation.invalidJson}`);
    }
    // A topic orderbridge does not handle is no reason to register a shop never seen.
    if (translation.change.kind === 'ignored' && !known && !shops.get(shopId('shopify', domain))) {
      c.set('outcome', 'ignored');
      return c.json({ outcome: 'ignored', ignored: true, detail: `${translation.change.reason}; shop ${domain} is not known here` }, 200);
    }
    // Nothing new is taken from a shop that uninstalled the app (a delivery Shopify retries after it): installing brings it back.
    const held = known ?? shops.get(shopId('shopify', domain));
    if (held && held.uninstalledAt !== null && !AFTER_UNINSTALL.has(topic)) {
      return c.json({ outcome: 'ignored', ignored: true, detail: `shop ${domain} uninstalled the app: install it again to receive its orders` }, 200);
    }
    // Any other topic registers the shop on first sight.
    const shop = held ?? shops.ensure('shopify', domain);
    const result = await deps.storage.ingest.submit(
      { id: `${shop.id}:${webhookId}`, shopId: shop.id, topic, eventId }, translation.change,
    );
    c.set('outcome', result.outcome);
    return c.json({ ...result, ...(result.outcome === 'ignored' ? { ignored: true } : {}) }, 200);
  });
  return route;
}
