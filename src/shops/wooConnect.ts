import { generateWebhookSecret, WooClient } from '../../connectors/woocommerce/index.ts';
import type { SecretBox } from '../state/secretBox.ts';
import type { ShopRegistry, ShopRow } from './registry.ts';

export const WOO_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored', 'customer.created'] as const;

export interface WooConnection {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  storeCurrency?: string;
  deliveryUrl: string;
}

/**
 * Connects a WooCommerce shop: keys sealed, one generated signing secret, and the shop's webhooks
 * registered to point at us. Nothing is stored until the shop has answered with these keys (a wrong URL
 * or key leaves no shop behind); the secret is stored before any webhook exists, so the first delivery verifies.
 */
export async function connectWooShop(shops: ShopRegistry, box: SecretBox, c: WooConnection): Promise<{ shop: ShopRow; webhooks: Array<{ id: number; topic: string }> }> {
  const host = new URL(c.url).host.toLowerCase();
  const client = new WooClient({ url: c.url, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret });
  const existing = await client.listWebhooks();
  const shop = shops.ensure('woocommerce', host);
  const secret = generateWebhookSecret();
  shops.update(shop.id, {
    credentialsSealed: await box.seal(JSON.stringify({ consumerKey: c.consumerKey, consumerSecret: c.consumerSecret })),
    webhookSecretSealed: await box.seal(secret),
    settings: JSON.stringify({ url: c.url, storeCurrency: c.storeCurrency?.toUpperCase() }),
  });
  // Our earlier registrations for this delivery URL would sign with the old secret: replace them.
  for (const old of existing) {
    if (old.deliveryUrl === c.deliveryUrl) await client.deleteWebhook(old.id);
  }
  const webhooks: Array<{ id: number; topic: string }> = [];
  for (const topic of WOO_TOPICS) {
    const created = await client.createWebhook({ topic, deliveryUrl: c.deliveryUrl, secret, name: `orderbridge ${topic}` });
    webhooks.push({ id: created.id, topic });
  }
  return { shop: shops.get(shop.id)!, webhooks };
}
