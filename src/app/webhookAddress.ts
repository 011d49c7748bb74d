/** Where a platform sends its webhooks to orderbridge reached at `base` (PUBLIC_URL, or the address a request came to). */
export function webhookAddress(base: string, platform: 'shopify' | 'woocommerce'): string {
  return `${base.replace(/\/$/, '')}/webhooks/${platform}`;
}

/** The webhook address PUBLIC_URL gives, or null when it is not set. */
export function publicWebhookAddress(publicUrl: string | null, platform: 'shopify' | 'woocommerce'): string | null {
  return publicUrl ? webhookAddress(publicUrl, platform) : null;
}
