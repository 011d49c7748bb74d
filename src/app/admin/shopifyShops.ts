import type { Context } from 'hono';
import { z } from 'zod';
import { isShopDomain } from '../../../connectors/platforms/shopify/webhookVerifier.ts';
import { storeShopifyShop } from '../../../connectors/platforms/shopify/connect.ts';
import type { ShopRow } from '../../core/shops/registry.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';
import { readInput } from './query.ts';

// POST /api/shops for a Shopify shop: its domain and the Admin API token of a custom app (the OAuth install adds
// its own path beside this one).

export const ConnectShopify = z.strictObject({
  platform: z.literal('shopify'),
  shop: z.string().refine(isShopDomain, 'expected the shop\'s myshopify domain, e.g. example.myshopify.com'),
  accessToken: z.string().min(1).max(512),
});

/** Creates or updates the shop with its sealed token: 201 when new, 200 when it was known. */
export async function connectShopifyShop(c: Context, deps: Pick<AppDeps, 'storage' | 'secrets'>, body: unknown, view: (shop: ShopRow) => unknown) {
  const input = readInput(ConnectShopify, body);
  if (!input.ok) return problem(c, 400, 'invalid_body', input.message);
  const { shop, created } = await storeShopifyShop(deps.storage.shops, deps.secrets, { shop: input.value.shop, accessToken: input.value.accessToken });
  return c.json({ shop: view(shop) }, created ? 201 : 200);
}
