// WooCommerce's wc-auth (woocommerce.github.io/woocommerce-rest-api-docs/#authentication-endpoint): the owner approves
// an app at the store's /wc-auth/v1/authorize, and the store POSTs a new REST key to the app's callback_url.
import { z } from 'zod';

/** What WooCommerce POSTs to callback_url once the owner approved: a new REST key for us. */
export const WcAuthKeys = z.object({
  key_id: z.union([z.number(), z.string()]).optional(),
  user_id: z.union([z.string().min(1).max(200), z.number()]).transform(String),
  consumer_key: z.string().regex(/^ck_\w+$/, 'a WooCommerce consumer key (ck_…)'),
  consumer_secret: z.string().regex(/^cs_\w+$/, 'a WooCommerce consumer secret (cs_…)'),
  key_permissions: z.string(),
});

/** A store's base URL as wc-auth and the REST API take it: WordPress may live in a sub-folder, no trailing slash. */
export function wooStoreBase(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The store's authorize page for a read_write key, `nonce` as the user_id the callback must bring back. */
export function wcAuthorizeUrl(store: string, { nonce, returnUrl, callbackUrl }: { nonce: string; returnUrl: string; callbackUrl: string }): string {
  const authorize = new URL(`${store}/wc-auth/v1/authorize`);
  authorize.search = new URLSearchParams({
    app_name: 'orderbridge', scope: 'read_write', user_id: nonce, return_url: returnUrl, callback_url: callbackUrl,
  }).toString();
  return authorize.toString();
}
