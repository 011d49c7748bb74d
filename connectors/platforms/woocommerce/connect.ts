import { WooClient } from './client.ts';
import { generateWebhookSecret } from './webhook.ts';
import type { SecretBox } from '../../../src/core/state/secretBox.ts';
import { shopId, type ShopRegistry, type ShopRow } from '../../../src/core/shops/registry.ts';

export const WOO_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored', 'customer.created'] as const;

/** orderbridge registers the shop's webhooks through its REST API (keys needed; the secret is generated unless given). */
export interface WooConnection {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  storeCurrency?: string;
  deliveryUrl: string;
  webhookSecret?: string;
}

/** The owner creates the webhooks in WordPress with a secret of their choosing and tells us that secret. */
export interface WooManualConnection {
  url: string;
  webhookSecret: string;
  storeCurrency?: string;
  consumerKey?: string;
  consumerSecret?: string;
}

/**
 * Connects a WooCommerce shop: keys sealed, one signing secret, and the shop's webhooks registered to point
 * at us. Nothing is stored until the shop has answered with these keys (a wrong URL or key leaves no shop
 * behind); the secret is stored before any webhook exists, so the first delivery verifies.
 */
export async function connectWooShop(shops: ShopRegistry, box: SecretBox, c: WooConnection): Promise<{ shop: ShopRow; webhooks: Array<{ id: number; topic: string }> }> {
  const client = new WooClient({ url: c.url, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret });
  const existing = await client.listWebhooks();
  const secret = c.webhookSecret ?? generateWebhookSecret();
  const known = shops.get(shopId('woocommerce', new URL(c.url).host.toLowerCase()));
  const registeredBefore = known ? (JSON.parse(known.settings) as { registeredTo?: string }).registeredTo : undefined;
  const shop = await storeWooShop(shops, box, { ...c, webhookSecret: secret }, c.deliveryUrl);
  // Our earlier registrations would sign with the old secret: replace them, and those to an address orderbridge
  // registered before (it moved) go too, so each order comes once, to the new address.
  for (const old of existing) {
    if (old.deliveryUrl === c.deliveryUrl || old.deliveryUrl === registeredBefore) await client.deleteWebhook(old.id);
  }
  const webhooks: Array<{ id: number; topic: string }> = [];
  for (const topic of WOO_TOPICS) {
    const created = await client.createWebhook({ topic, deliveryUrl: c.deliveryUrl, secret, name: `orderbridge ${topic}` });
    webhooks.push({ id: created.id, topic });
  }
  return { shop, webhooks };
}

/** Records a shop whose webhooks the owner made by hand: no call to the shop, its deliveries verified with the given secret. */
export async function storeWooShop(shops: ShopRegistry, box: SecretBox, c: WooManualConnection, registeredTo?: string): Promise<ShopRow> {
  const keys = c.consumerKey && c.consumerSecret ? await box.seal(JSON.stringify({ consumerKey: c.consumerKey, consumerSecret: c.consumerSecret })) : null;
  const webhookSecretSealed = await box.seal(c.webhookSecret);
  const shop = shops.ensure('woocommerce', new URL(c.url).host.toLowerCase());
  // A reconnect that registers nothing keeps knowing the webhooks registered before, so removal still finds them.
  const before = JSON.parse(shop.settings) as { registeredTo?: string; storeCurrency?: string };
  shops.update(shop.id, {
    ...(keys ? { credentialsSealed: keys } : {}),
    webhookSecretSealed,
    // registeredTo: the delivery URL of the webhooks orderbridge made, so that removing the shop can remove them.
    // Left out of a reconnect, the store currency stays what it was (it tells a buyer-currency order apart).
    settings: JSON.stringify({ url: c.url, storeCurrency: c.storeCurrency?.toUpperCase() ?? before.storeCurrency, registeredTo: registeredTo ?? before.registeredTo }),
  });
  return shops.get(shop.id)!;
}

/**
 * Before a shop is removed: deletes the webhooks orderbridge registered on it (those pointing at the delivery
 * URL it registered). Returns how many went, or why none could (the shop is removed here either way).
 */
export async function unregisterWooWebhooks(shop: ShopRow, box: SecretBox): Promise<{ removed: number } | { error: string }> {
  const settings = JSON.parse(shop.settings) as { url?: string; registeredTo?: string };
  if (!shop.credentialsSealed || !settings.url || !settings.registeredTo) return { removed: 0 };
  try {
    const keys = JSON.parse(await box.open(shop.credentialsSealed)) as { consumerKey: string; consumerSecret: string };
    const client = new WooClient({ url: settings.url, ...keys });
    let removed = 0;
    for (const hook of await client.listWebhooks()) {
      if (hook.deliveryUrl !== settings.registeredTo) continue;
      await client.deleteWebhook(hook.id);
      removed++;
    }
    return { removed };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
