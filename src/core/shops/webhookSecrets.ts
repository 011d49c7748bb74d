import { SecretUnreadable, type SecretBox } from '../state/secretBox.ts';
import type { ShopRegistry } from './registry.ts';

/** Opened webhook secrets per shop, so a webhook costs no AES decryption; dropped when a shop changes. */
export class WebhookSecrets {
  private opened = new Map<string, { sealed: string; secret: string }>();

  constructor(private readonly shops: ShopRegistry, private readonly box: SecretBox) {}

  async get(shopId: string): Promise<string | null> {
    const sealed = this.shops.get(shopId)?.webhookSecretSealed;
    if (!sealed) return null;
    const hit = this.opened.get(shopId);
    if (hit && hit.sealed === sealed) return hit.secret;
    const secret = await this.box.open(sealed);
    this.opened.set(shopId, { sealed, secret });
    return secret;
  }

  /** WooCommerce shops whose webhook secret this key cannot open: their webhooks cannot be verified. */
  async unreadableShopIds(): Promise<string[]> {
    const unreadable: string[] = [];
    for (const shop of this.shops.list()) {
      if (shop.platform !== 'woocommerce' || !shop.webhookSecretSealed) continue;
      await this.box.open(shop.webhookSecretSealed).catch((error: unknown) => {
        if (error instanceof SecretUnreadable) unreadable.push(shop.id);
      });
    }
    return unreadable;
  }
}
