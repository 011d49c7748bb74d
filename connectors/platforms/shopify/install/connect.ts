import type { SecretBox } from '../../../../src/core/state/secretBox.ts';
import type { ShopRegistry, ShopRow } from '../../../../src/core/shops/registry.ts';
import { ShopifyAdminError } from '../admin/errors.ts';
import type { AdminApi } from '../admin/types.ts';
import { registerShopifyWebhooks, unregisterShopifyWebhooks, type WebhookRegistration } from './webhookRegistration.ts';

// A Shopify shop connected with an Admin API token, from the OAuth install or a custom app's token: the token
// (and a custom app's own API secret, which signs its webhooks) sealed, the shop made with the local store (or an
// uninstalled one brought back), and its webhooks subscribed to orderbridge without doubling any.

export interface ShopifyConnection {
  /** The shop's myshopify domain. */
  shop: string;
  accessToken: string;
  /** A custom app's API secret key: the webhooks its subscriptions send are signed with it, not SHOPIFY_API_SECRET. */
  apiSecret?: string;
  /** Where the webhooks go: APP_URL/webhooks/shopify. */
  deliveryUrl: string;
}

const SHOP_QUERY = 'query ShopOfToken { shop { myshopifyDomain name } }';

/**
 * Checks a custom app's token with one `shop` query: it must open this very shop. Throws a ShopifyAdminError
 * saying what Shopify answered (a refused token is `http_401`), or `wrong_shop` when it opens another one.
 */
export async function checkShopToken(admin: AdminApi, shop: string, accessToken: string): Promise<{ name: string }> {
  const { data } = await admin.query<{ shop: { myshopifyDomain: string; name: string } }>({ shop, token: accessToken }, SHOP_QUERY);
  if (data.shop.myshopifyDomain.toLowerCase() !== shop.toLowerCase()) {
    throw new ShopifyAdminError(`this token opens ${data.shop.myshopifyDomain}, not ${shop}`, 'wrong_shop');
  }
  return { name: data.shop.name };
}

/** Stores the shop with its sealed token (first, so the first webhook verifies), then subscribes its webhooks. */
export async function connectShopifyShop(
  shops: ShopRegistry, box: SecretBox, admin: AdminApi, c: ShopifyConnection,
): Promise<{ shop: ShopRow; webhooks: WebhookRegistration }> {
  const credentialsSealed = await box.seal(JSON.stringify({ accessToken: c.accessToken }));
  const webhookSecretSealed = c.apiSecret ? await box.seal(c.apiSecret) : null;
  const row = shops.ensure('shopify', c.shop);
  // An OAuth install leaves a custom app's secret out: its webhooks are signed with SHOPIFY_API_SECRET.
  // Where its webhooks were subscribed is kept: removing the shop later deletes those subscriptions, and no others.
  const settings = JSON.stringify({ ...(JSON.parse(row.settings) as Record<string, unknown>), registeredTo: c.deliveryUrl });
  shops.update(row.id, { credentialsSealed, webhookSecretSealed, settings });
  const webhooks = await registerShopifyWebhooks(admin, { shop: row.domain, token: c.accessToken }, c.deliveryUrl);
  return { shop: shops.get(row.id)!, webhooks };
}

/**
 * Before a shop is removed: deletes its webhook subscriptions to the address orderbridge subscribed (or, for a shop
 * connected before that was kept, `fallbackUri`). Returns how many went, or why none could (the shop goes either way),
 * or null when orderbridge holds no token for it.
 */
export async function unsubscribeShopifyShop(
  shop: ShopRow, box: SecretBox, admin: () => Promise<AdminApi>, fallbackUri: string | null,
): Promise<{ removed: number } | { error: string } | null> {
  const uri = (JSON.parse(shop.settings) as { registeredTo?: string }).registeredTo ?? fallbackUri;
  // A shop known only from its webhooks (no token), or uninstalled (its subscriptions went with the app): nothing to do.
  if (!shop.credentialsSealed || !uri || shop.uninstalledAt) return null;
  try {
    const opened = await box.open(shop.credentialsSealed);
    let accessToken: string;
    try {
      ({ accessToken } = JSON.parse(opened) as { accessToken: string });
    } catch {
      return { error: 'the shop\'s sealed credentials are not readable' }; // a parse error would quote them
    }
    return { removed: await unregisterShopifyWebhooks(await admin(), { shop: shop.domain, token: accessToken }, uri) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
