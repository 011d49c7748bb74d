import type { SecretBox } from '../../../src/core/state/secretBox.ts';
import type { ShopRegistry, ShopRow } from '../../../src/core/shops/registry.ts';

/** A Shopify shop given by hand: its myshopify domain and the Admin API token of a custom app made in its admin. */
export interface ShopifyConnection {
  shop: string;
  accessToken: string;
}

/**
 * Records a Shopify shop with its Admin API access token, sealed (never returned): the shop exists before its first
 * webhook, and a resync can read its orders. Connecting again replaces the token. `created`: the shop is new.
 */
export async function storeShopifyShop(shops: ShopRegistry, box: SecretBox, c: ShopifyConnection): Promise<{ shop: ShopRow; created: boolean }> {
  const credentialsSealed = await box.seal(JSON.stringify({ accessToken: c.accessToken }));
  const created = shops.get(`shopify:${c.shop.toLowerCase()}`) === undefined;
  const shop = shops.ensure('shopify', c.shop.toLowerCase());
  shops.update(shop.id, { credentialsSealed });
  return { shop: shops.get(shop.id)!, created };
}
