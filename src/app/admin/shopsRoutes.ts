import { Hono } from 'hono';
import { z } from 'zod';
import type { StoreDefinition } from '../../core/delivery/destination.ts';
import { httpUrl } from '../../core/delivery/storeSettings.ts';
import { Destinations } from '../../core/shops/destinations.ts';
import { destinationId, type DestinationRow, type ShopRow } from '../../core/shops/registry.ts';
import type { AppDeps } from '../appDeps.ts';
import { BACKFILL } from '../../core/delivery/backfill.ts';
import { cappedCount } from '../cappedCount.ts';
import { problem } from '../problem.ts';
import { connectWooShop, storeWooShop, unregisterWooWebhooks } from '../../../connectors/platforms/woocommerce/connect.ts';
import { unsubscribeShopifyShop } from '../../../connectors/platforms/shopify/install/connect.ts';
import { connectShopifyCustomApp } from '../install/shopifyCustomApp.ts';
import { installAdmin } from '../install/shopifyInstallRoutes.ts';
import { jobView } from './jobsRoutes.ts';
import { jsonBody, Limit, readInput, TimeParam } from './query.ts';
import { publicWebhookAddress } from '../webhookAddress.ts';

/**
 * Strict like the settings: a mistyped "setings" would otherwise leave the store's production defaults. A field
 * left out keeps the destination's current value (same kind), so `{"kind":"engage","enabled":false}` pauses it
 * as it is; a new destination takes the defaults.
 */
export const DestinationInput = z.strictObject({
  // Part of the key of every row queued for it: short, as a store kind is.
  id: z.string().max(64).regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash, underscore').optional(),
  kind: z.string(),
  settings: z.record(z.string(), z.unknown()).optional(),
  secret: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  /** Request-rate ceiling; null for the store's default, 0 for none. */
  requestsPerSecond: z.number().int().min(0).nullable().optional(),
});

export const ConnectWoo = z.strictObject({
  platform: z.literal('woocommerce'),
  url: httpUrl(),
  consumerKey: z.string().min(1).optional(),
  consumerSecret: z.string().min(1).optional(),
  storeCurrency: z.string().regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO 4217 code such as EUR').optional(),
  deliveryUrl: httpUrl().optional(),
  /** false = the owner makes the webhooks in WordPress, signed with `webhookSecret`; orderbridge calls nothing. */
  registerWebhooks: z.boolean().default(true),
  /** The webhooks' signing secret; generated when orderbridge registers them. */
  webhookSecret: z.string().min(8).optional(),
}).refine((w) => !w.registerWebhooks || (w.consumerKey && w.consumerSecret), {
  path: ['consumerKey'], message: 'consumerKey and consumerSecret are needed to register the webhooks (or registerWebhooks: false with your webhookSecret)',
}).refine((w) => w.registerWebhooks || w.webhookSecret, {
  path: ['webhookSecret'], message: 'with registerWebhooks: false, give the secret your WordPress webhooks sign with',
});

/** Shops by id, a page at a time: `after` is the last id of the page before. */
export const ShopPage = z.object({ limit: Limit, after: z.string().optional() });

/** Which held orders a backfill sends: created from / before (ISO or epoch ms); all when left out. */
const Moment = z.union([z.number().int().nonnegative(), TimeParam]).pipe(z.number().max(8.64e15, 'a time JavaScript dates reach'));
export const BackfillInput = z.strictObject({ from: Moment.optional(), to: Moment.optional() })
  .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, { path: ['to'], message: 'to must be after from' });

/** A shop as the API shows it (the Workers directory keeps this view of each shop). */
export const publicShop = (s: ShopRow) => ({
  id: s.id, platform: s.platform, domain: s.domain, installedAt: new Date(s.installedAt).toISOString(),
  uninstalledAt: s.uninstalledAt ? new Date(s.uninstalledAt).toISOString() : null,
  hasCredentials: s.credentialsSealed !== null, hasWebhookSecret: s.webhookSecretSealed !== null,
});

// Secrets go in, never out.
const publicDestination = (d: DestinationRow) => ({
  id: d.id, shopId: d.shopId, kind: d.kind, settings: JSON.parse(d.settings) as unknown,
  enabled: d.enabled, requestsPerSecond: d.requestsPerSecond, hasSecret: d.secretSealed !== null, fromEnvironment: d.fromEnvironment,
  createdAt: new Date(d.createdAt).toISOString(),
});

/** What a store takes, for an operator writing a destination: its settings as JSON Schema (defaults included). */
function storeCard(store: StoreDefinition<unknown>) {
  return {
    kind: store.kind, title: store.title, batchSize: store.batchSize, requestsPerSecond: store.requestsPerSecond,
    requiresSecret: store.requiresSecret,
    settings: z.toJSONSchema(store.settingsSchema, { io: 'input', unrepresentable: 'any' }),
  };
}

export function shopsRoutes(deps: AppDeps): Hono {
  const r = new Hono();
  const { shops } = deps.storage;
  const destinations = new Destinations({ shops, outbox: deps.storage.outbox, stores: deps.stores, secrets: deps.secrets, clock: deps.clock });
  r.get('/stores', (c) => c.json({ kinds: deps.stores.kinds(), stores: deps.stores.kinds().map((k) => storeCard(deps.stores.get(k)!)) }));
  r.get('/shops', (c) => {
    const query = readInput(ShopPage, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const rows = shops.pageQuery(query.value.after ?? '', query.value.limit).all();
    return c.json({ items: rows.map(publicShop), nextAfter: rows.length === query.value.limit ? rows.at(-1)!.id : null });
  });
  r.post('/shops', async (c) => {
    const body = await jsonBody(c.req);
    if (!body.ok) return problem(c, 400, 'invalid_json', 'the request body is not JSON');
    if ((body.value as { platform?: unknown } | null)?.platform === 'shopify') return connectShopifyCustomApp(c, deps, body.value, publicShop);
    const input = readInput(ConnectWoo, body.value);
    if (!input.ok) {
      return problem(c, 400, 'invalid_body', input.message);
    }
    const { registerWebhooks, consumerKey, consumerSecret, webhookSecret, ...woo } = input.value;
    if (!registerWebhooks) {
      const shop = await storeWooShop(shops, deps.secrets, { ...woo, webhookSecret: webhookSecret!, ...(consumerKey && consumerSecret ? { consumerKey, consumerSecret } : {}) });
      return c.json({ shop: publicShop(shop), webhooks: [] }, 201);
    }
    const deliveryUrl = woo.deliveryUrl ?? publicWebhookAddress(deps.config.publicUrl, 'woocommerce');
    if (!deliveryUrl) return problem(c, 400, 'no_delivery_url', 'set APP_URL or pass deliveryUrl: WooCommerce must know where to send webhooks');
    try {
      const { shop, webhooks } = await connectWooShop(shops, deps.secrets, {
        ...woo, consumerKey: consumerKey!, consumerSecret: consumerSecret!, deliveryUrl, ...(webhookSecret ? { webhookSecret } : {}),
      });
      return c.json({ shop: publicShop(shop), webhooks }, 201);
    } catch (error) {
      return problem(c, 502, 'woocommerce_unreachable', `could not register webhooks with ${input.value.url}: ${(error as Error).message}`);
    }
  });
  r.get('/shops/:shop', (c) => {
    const shop = shops.get(c.req.param('shop'));
    return shop ? c.json(publicShop(shop)) : problem(c, 404, 'not_found', `no shop ${c.req.param('shop')}`);
  });
  r.delete('/shops/:shop', async (c) => {
    const shop = shops.get(c.req.param('shop'));
    if (!shop) return problem(c, 404, 'not_found', `no shop ${c.req.param('shop')}`);
    // The webhooks orderbridge registered on the shop go first, while its keys or token are still known.
    const webhooks = shop.platform === 'woocommerce'
      ? await unregisterWooWebhooks(shop, deps.secrets)
      : await unsubscribeShopifyShop(shop, deps.secrets, () => installAdmin(deps), publicWebhookAddress(deps.config.publicUrl, 'shopify'));
    if (!deps.storage.writer.removeShop(shop.id)) return problem(c, 404, 'not_found', `no shop ${shop.id}`); // removed meanwhile
    return c.json({ removed: shop.id, ...(webhooks ? { webhooks } : {}) });
  });
  r.get('/shops/:shop/destinations', (c) => {
    const shop = shops.get(c.req.param('shop'));
    if (!shop) return problem(c, 404, 'not_found', `no shop ${c.req.param('shop')}`);
    const { outbox } = deps.storage;
    return c.json({
      items: shops.destinationsOf(shop.id).map((d) => {
        const retry = outbox.lastRetry(d.id);
        // What waits for it, and whether it is failing (the store's last words), without reading the queue through.
        const queue = {
          ...cappedCount((cap) => outbox.countUpTo(cap, d.id)),
          retrying: retry ? { attempts: retry.attempts, lastError: retry.lastError, nextAttemptAt: new Date(retry.nextAttemptAt).toISOString() } : null,
        };
        return { ...publicDestination(d), queue };
      }),
    });
  });
  r.post('/shops/:shop/destinations', async (c) => {
    const shop = shops.get(c.req.param('shop'));
    if (!shop) return problem(c, 404, 'not_found', `no shop ${c.req.param('shop')}`);
    const body = await jsonBody(c.req);
    if (!body.ok) return problem(c, 400, 'invalid_json', 'the request body is not JSON');
    const input = readInput(DestinationInput, body.value);
    if (!input.ok) return problem(c, 400, 'invalid_body', input.message);
    const put = await destinations.put(shop.id, input.value);
    if ('error' in put) return problem(c, put.error === 'configured_by_environment' ? 409 : 400, put.error, put.message);
    deps.storage.onCommit();
    return c.json(publicDestination(put.row), put.created ? 201 : 200);
  });
  r.post('/shops/:shop/destinations/:id/backfill', async (c) => {
    const shop = c.req.param('shop');
    const id = destinationId(shop, c.req.param('id'));
    if (shops.destination(id)?.shopId !== shop) return problem(c, 404, 'not_found', `no destination ${c.req.param('id')} for shop ${shop}`);
    const body = await jsonBody(c.req, {});
    if (!body.ok) return problem(c, 400, 'invalid_json', 'the request body is not JSON');
    const range = readInput(BackfillInput, body.value);
    if (!range.ok) return problem(c, 400, 'invalid_body', range.message);
    // A job, answered at once: the runner queues it a slice at a time, paced so webhooks keep their latency.
    const job = deps.storage.jobs.create({ kind: BACKFILL, shopId: shop, destinations: [id], range: range.value });
    await deps.storage.ingest.durable(); // 202 once the job is on disk, as a webhook's 200 waits for its commit
    deps.storage.onJobQueued();
    c.header('location', `/api/jobs/${job.id}`);
    return c.json(jobView(job, deps.clock.now()), 202);
  });
  r.delete('/shops/:shop/destinations/:id', (c) => {
    const shop = c.req.param('shop');
    const given = c.req.param('id');
    // The id as POST took it ("t3") or as listings show it ("shopify:….myshopify.com:t3").
    const id = destinationId(shop, given);
    const fromEnvironment = shops.environmentKindOf(id);
    if (fromEnvironment) {
      return problem(c, 409, 'configured_by_environment', `${id} comes from DESTINATION_KIND=${fromEnvironment}; unset it (and restart), then delete it here`);
    }
    const removed = shops.removeDestination(shop, id);
    if (removed === null) return problem(c, 404, 'not_found', `no destination ${given} for shop ${shop}`);
    return c.json({ removed: id, queuedRowsDropped: removed.queuedRowsDropped });
  });
  return r;
}
