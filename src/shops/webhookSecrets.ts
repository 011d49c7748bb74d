import type { SecretBox } from '../state/secretBox.ts';
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

  /** Shops whose secret this key cannot open (sealed under another ENCRYPTION_KEY): their webhooks cannot be verified. */
  async unreadable(): Promise<string[]> {
    const shut: string[] = [];
    for (const shop of this.shops.list()) {
      if (!shop.webhookSecretSealed) continue;
      try {
        await this.get(shop.id);
      } catch {
        shut.push(shop.id);
      }
    }
    return shut;
  }
}
