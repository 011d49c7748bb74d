import type { Context } from 'hono';
import { z } from 'zod';
import { ShopifyAdminError } from '../../../connectors/platforms/shopify/admin/errors.ts';
import { checkShopToken, connectShopifyShop } from '../../../connectors/platforms/shopify/install/connect.ts';
import { isShopDomain } from '../../../connectors/platforms/shopify/webhookVerifier.ts';
import { httpUrl } from '../../core/delivery/storeSettings.ts';
import type { ShopRow } from '../../core/shops/registry.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';
import { readInput } from '../admin/query.ts';
import { installAdmin } from './shopifyInstallRoutes.ts';

// POST /api/shops {"platform":"shopify", …}: a shop connected with a custom app's Admin API token (made in the
// shop's own admin, no Partner app): the token checked with one `shop` query, then sealed with the app's API
// secret (which signs that app's webhooks), and the webhooks subscribed as an OAuth install subscribes them.

export const ConnectShopify = z.strictObject({
  platform: z.literal('shopify'),
  shop: z.string().transform((s) => s.trim().toLowerCase()).refine(isShopDomain, "the shop's <name>.myshopify.com domain"),
  accessToken: z.string().min(1).max(512),
  /** The custom app's API secret key; left out, the webhooks are checked with SHOPIFY_API_SECRET (a token of that app). */
  apiSecret: z.string().min(1).max(512).optional(),
  deliveryUrl: httpUrl().optional(),
});

/** Answers the whole request; `publicShop` renders the shop as the other /api/shops answers do. */
export async function connectShopifyCustomApp(c: Context, deps: AppDeps, body: unknown, publicShop: (s: ShopRow) => unknown): Promise<Response> {
  const input = readInput(ConnectShopify, body);
  if (!input.ok) return problem(c, 400, 'invalid_body', input.message);
  const { shop, accessToken, apiSecret } = input.value;
  const deliveryUrl = input.value.deliveryUrl ?? (deps.config.publicUrl ? `${deps.config.publicUrl}/webhooks/shopify` : null);
  if (!deliveryUrl) return problem(c, 400, 'no_delivery_url', 'set APP_URL or pass deliveryUrl: Shopify must know where to send webhooks');
  const admin = await installAdmin(deps);
  try {
    await checkShopToken(admin, shop, accessToken); // nothing is stored for a token that does not open this shop
  } catch (error) {
    if (!(error instanceof ShopifyAdminError)) throw error;
    if (error.code === 'wrong_shop') return problem(c, 400, 'wrong_shop', error.message);
    if (error.code === 'http_401' || error.code === 'http_403') return problem(c, 400, 'token_refused', error.message);
    return problem(c, 502, 'shopify_unreachable', error.message);
  }
  try {
    const { shop: row, webhooks } = await connectShopifyShop(deps.storage.shops, deps.secrets, admin, {
      shop, accessToken, deliveryUrl, ...(apiSecret ? { apiSecret } : {}),
    });
    return c.json({ shop: publicShop(row), webhooks }, 201);
  } catch (error) {
    if (!(error instanceof ShopifyAdminError)) throw error;
    return problem(c, 502, 'webhooks_not_registered', `the shop is connected, but its webhooks could not be subscribed: ${error.message}`);
  }
}
