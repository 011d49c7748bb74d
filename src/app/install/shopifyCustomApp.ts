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
import { publicWebhookAddress } from '../webhookAddress.ts';

// A Shopify shop connected with a custom app's Admin API token (made in the shop's own admin, no Partner app): the
// token checked with one `shop` query, then sealed with the app's API secret (which signs that app's webhooks), and
// the webhooks subscribed as an OAuth install subscribes them. POST /api/shops and the console's form both call
// connectCustomAppShop.

export const ShopDomain = z.string().transform((s) => s.trim().toLowerCase()).refine(isShopDomain, "the shop's <name>.myshopify.com domain");

export const ConnectShopify = z.strictObject({
  platform: z.literal('shopify'),
  shop: ShopDomain,
  accessToken: z.string().min(1).max(512),
  /** The custom app's API secret key; left out, the webhooks are checked with SHOPIFY_API_SECRET (a token of that app). */
  apiSecret: z.string().min(1).max(512).optional(),
  deliveryUrl: httpUrl().optional(),
});

export type CustomAppInput = Omit<z.infer<typeof ConnectShopify>, 'platform'>;

type Connected = Awaited<ReturnType<typeof connectShopifyShop>>;

/** What a connect came to: the shop and its webhooks, or why not (an HTTP status, a machine code, a sentence). */
export type CustomAppOutcome =
  | { ok: true; shop: ShopRow; webhooks: Connected['webhooks'] }
  | { ok: false; status: 400 | 502; error: string; message: string };

/** Checks the token against the shop, then seals it and subscribes the webhooks; nothing is stored for a refused token. */
export async function connectCustomAppShop(deps: AppDeps, input: CustomAppInput): Promise<CustomAppOutcome> {
  const { shop, accessToken, apiSecret } = input;
  const deliveryUrl = input.deliveryUrl ?? publicWebhookAddress(deps.config.publicUrl, 'shopify');
  if (!deliveryUrl) return { ok: false, status: 400, error: 'no_delivery_url', message: 'set APP_URL or pass deliveryUrl: Shopify must know where to send webhooks' };
  const admin = await installAdmin(deps);
  try {
    await checkShopToken(admin, shop, accessToken);
  } catch (error) {
    if (!(error instanceof ShopifyAdminError)) throw error;
    if (error.code === 'wrong_shop') return { ok: false, status: 400, error: 'wrong_shop', message: error.message };
    if (error.code === 'http_401' || error.code === 'http_403') return { ok: false, status: 400, error: 'token_refused', message: error.message };
    return { ok: false, status: 502, error: 'shopify_unreachable', message: error.message };
  }
  try {
    const { shop: row, webhooks } = await connectShopifyShop(deps.storage.shops, deps.secrets, admin, {
      shop, accessToken, deliveryUrl, ...(apiSecret ? { apiSecret } : {}),
    });
    return { ok: true, shop: row, webhooks };
  } catch (error) {
    if (!(error instanceof ShopifyAdminError)) throw error;
    return { ok: false, status: 502, error: 'webhooks_not_registered', message: `the shop is connected, but its webhooks could not be subscribed: ${error.message}` };
  }
}

/** POST /api/shops {"platform":"shopify", …}: answers the whole request; `publicShop` renders the shop as the other /api/shops answers do. */
export async function connectShopifyCustomApp(c: Context, deps: AppDeps, body: unknown, publicShop: (s: ShopRow) => unknown): Promise<Response> {
  const input = readInput(ConnectShopify, body);
  if (!input.ok) return problem(c, 400, 'invalid_body', input.message);
  const { platform: _platform, ...given } = input.value;
  const outcome = await connectCustomAppShop(deps, given);
  if (!outcome.ok) return problem(c, outcome.status, outcome.error, outcome.message);
  return c.json({ shop: publicShop(outcome.shop), webhooks: outcome.webhooks }, 201);
}
