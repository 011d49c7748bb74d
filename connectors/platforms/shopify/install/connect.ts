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

/** Where orderbridge subscribed a shop's webhooks, kept in the shop's settings. */
interface Subscribed {
  registeredTo?: string;
  /** Addresses subscribed before the last (orderbridge moved) whose subscriptions could not be deleted yet. */
  registeredEarlier?: string[];
}

const subscribedOf = (shop: ShopRow) => JSON.parse(shop.settings) as Record<string, unknown> & Subscribed;

/** A shop's settings with where its webhooks go now and the earlier addresses still to empty (left out when none). */
function withSubscriptions(settings: Record<string, unknown> & Subscribed, registeredTo: string, registeredEarlier: string[]): string {
  const { registeredEarlier: _, ...rest } = settings;
  return JSON.stringify({ ...rest, registeredTo, ...(registeredEarlier.length > 0 ? { registeredEarlier } : {}) });
}

/**
 * Stores the shop with its sealed token (first, so the first webhook verifies), then subscribes its webhooks. A shop
 * connected again at another address (orderbridge moved) loses its subscriptions to the old one: webhooks arrive once.
 */
export async function connectShopifyShop(
  shops: ShopRegistry, box: SecretBox, admin: AdminApi, c: ShopifyConnection,
): Promise<{ shop: ShopRow; webhooks: WebhookRegistration }> {
  const credentialsSealed = await box.seal(JSON.stringify({ accessToken: c.accessToken }));
  const webhookSecretSealed = c.apiSecret ? await box.seal(c.apiSecret) : null;
  const row = shops.ensure('shopify', c.shop);
  const before = subscribedOf(row);
  const earlier = new Set([...(before.registeredEarlier ?? []), ...(before.registeredTo ? [before.registeredTo] : [])]);
  earlier.delete(c.deliveryUrl);
  // An OAuth install leaves a custom app's secret out: its webhooks are signed with SHOPIFY_API_SECRET.
  // Where its webhooks were subscribed is kept: removing the shop later deletes those subscriptions, and no others.
  const settings = withSubscriptions(before, c.deliveryUrl, [...earlier]);
  shops.update(row.id, { credentialsSealed, webhookSecretSealed, settings });
  const creds = { shop: row.domain, token: c.accessToken };
  const webhooks = await registerShopifyWebhooks(admin, creds, c.deliveryUrl);
  if (earlier.size > 0) {
    const gone = new Set<string>();
    for (const uri of earlier) {
      // None found with this token may be another app's (a custom app before an install): kept, tried again at removal.
      if (await unregisterShopifyWebhooks(admin, creds, uri).catch(() => 0) > 0) gone.add(uri);
    }
    // Read again: another connect of the shop may have written its settings meanwhile; only the addresses emptied go.
    const now = subscribedOf(shops.get(row.id) ?? row);
    const left = (now.registeredEarlier ?? []).filter((uri) => !gone.has(uri));
    if (gone.size > 0) shops.update(row.id, { settings: withSubscriptions(now, now.registeredTo ?? c.deliveryUrl, left) });
  }
  return { shop: shops.get(row.id)!, webhooks };
}

/**
 * Before a shop is removed: deletes its webhook subscriptions to the addresses orderbridge subscribed (or, for a shop
 * connected before they were kept, `fallbackUri`). Returns how many went, or why not all could (the shop goes either
 * way), or null when orderbridge holds no token for it.
 */
export async function unsubscribeShopifyShop(
  shop: ShopRow, box: SecretBox, admin: () => Promise<AdminApi>, fallbackUri: string | null,
): Promise<{ removed: number } | { error: string } | null> {
  const subscribed = subscribedOf(shop);
  const latest = subscribed.registeredTo ?? fallbackUri;
  const uris = [...(latest ? [latest] : []), ...(subscribed.registeredEarlier ?? [])];
  // A shop known only from its webhooks (no token), or uninstalled (its subscriptions went with the app): nothing to do.
  if (!shop.credentialsSealed || uris.length === 0 || shop.uninstalledAt) return null;
  try {
    const opened = await box.open(shop.credentialsSealed);
    let accessToken: string;
    try {
      ({ accessToken } = JSON.parse(opened) as { accessToken: string });
    } catch {
      return { error: 'the shop\'s sealed credentials are not readable' }; // a parse error would quote them
    }
    const api = await admin();
    let removed = 0;
    const failed: string[] = [];
    // Each address on its own: one that fails leaves the others' subscriptions to be deleted still.
    for (const uri of uris) {
      try {
        removed += await unregisterShopifyWebhooks(api, { shop: shop.domain, token: accessToken }, uri);
      } catch (error) {
        failed.push(`${uri}: ${(error as Error).message}`);
      }
    }
    return failed.length === 0 ? { removed } : { error: `${removed} deleted; not those to ${failed.join('; ')}` };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
