import { Hono } from 'hono';
import { ShopifyAdminError } from '../../../connectors/platforms/shopify/admin/errors.ts';
import { connectShopifyShop } from '../../../connectors/platforms/shopify/install/connect.ts';
import type { ShopifyOAuth } from '../../../connectors/platforms/shopify/install/oauth.ts';
import { isShopDomain } from '../../../connectors/platforms/shopify/webhookVerifier.ts';
import type { AdminApi } from '../../../connectors/platforms/shopify/admin/types.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';

/** The console's page of a shop, where an install lands. */
export const consoleShopPath = (shopId: string) => `/admin/shops/${encodeURIComponent(shopId)}`;

// @shopify/shopify-api costs ~0.5 s to load: loaded with the first install, not with every start.
let ownAdmin: Promise<AdminApi> | undefined;

/** The Admin API client installs use: the one handed in, or one made on first use. */
export function installAdmin(deps: AppDeps): Promise<AdminApi> {
  if (deps.shopifyAdmin) return Promise.resolve(deps.shopifyAdmin);
  ownAdmin ??= import('../../../connectors/platforms/shopify/admin/client.ts').then((m) => new m.ShopifyAdmin({ maxRetries: 2 }));
  return ownAdmin;
}

/**
 * GET /shopify/install?shop=<x>.myshopify.com → the shop's authorize page; GET /shopify/callback ← the owner's
 * approval: hmac, then the state (issued here, once, for that shop), then the code exchanged for an offline token,
 * sealed; the shop made and its webhooks subscribed; the owner lands on the shop's console page.
 */
export function shopifyInstallRoutes(deps: AppDeps): Hono {
  const r = new Hono();
  const app = deps.config.shopifyApp;
  const base = deps.config.publicUrl;
  let loaded: Promise<ShopifyOAuth> | undefined;
  const oauthOf = () => (loaded ??= import('../../../connectors/platforms/shopify/install/oauth.ts').then((m) => new m.ShopifyOAuth({ ...app!, appUrl: base! })));
  const notConfigured = 'Shopify installs need SHOPIFY_API_KEY, SHOPIFY_API_SECRET and APP_URL';

  r.get('/install', async (c) => {
    if (!app || !base) return problem(c, 503, 'not_configured', notConfigured);
    const shop = (c.req.query('shop') ?? '').trim().toLowerCase();
    if (!isShopDomain(shop)) {
      return problem(c, 400, 'invalid_shop_domain', `shop must be the shop's <name>.myshopify.com domain; got ${JSON.stringify(shop.slice(0, 100))}`);
    }
    const { response, state } = await (await oauthOf()).begin(c.req.raw, shop);
    if (response.status !== 302 || !state) return response; // the library's answer to a bot (410)
    deps.storage.installNonces.issue('shopify', shop, state);
    return response;
  });

  r.get('/callback', async (c) => {
    if (!app || !base) return problem(c, 503, 'not_configured', notConfigured);
    const oauth = await oauthOf();
    const query = c.req.query();
    const shop = (query.shop ?? '').toLowerCase();
    if (!isShopDomain(shop)) return problem(c, 400, 'invalid_shop_domain', 'the callback names no <name>.myshopify.com shop');
    if (!query.state) return problem(c, 400, 'state_missing', 'the callback carries no state: start the install again from /shopify/install');
    // The hmac first: an unsigned request must not use up a state a real approval is on its way with.
    if (!(await oauth.signedQuery(query))) return problem(c, 401, 'invalid_hmac', 'the callback is not signed with this app\'s secret (or its timestamp is not recent)');
    if (deps.storage.installNonces.take('shopify', query.state) !== shop) {
      return problem(c, 400, 'state_unknown', 'this install state was not issued for this shop, was used already, or expired: start the install again');
    }
    const outcome = await oauth.callback(c.req.raw);
    if (!outcome.ok) return problem(c, outcome.status, outcome.error, outcome.message);
    try {
      const { shop: row } = await connectShopifyShop(deps.storage.shops, deps.secrets, await installAdmin(deps), {
        shop: outcome.shop, accessToken: outcome.accessToken, deliveryUrl: `${base}/webhooks/shopify`,
      });
      const headers = new Headers(outcome.headers);
      headers.set('location', `${base}${consoleShopPath(row.id)}`);
      return new Response(null, { status: 302, headers });
    } catch (error) {
      if (!(error instanceof ShopifyAdminError)) throw error;
      // The token is kept (the shop is installed); installing again subscribes what is missing.
      return problem(c, 502, 'webhooks_not_registered', `the shop is installed, but its webhooks could not be subscribed: ${error.message}`);
    }
  });
  return r;
}
