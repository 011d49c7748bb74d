import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { connectWooShop } from '../../../connectors/platforms/woocommerce/connect.ts';
import { WcAuthKeys, wcAuthorizeUrl, wooStoreBase } from '../../../connectors/platforms/woocommerce/wcAuth.ts';
import { httpUrl } from '../../core/delivery/storeSettings.ts';
import { shopId } from '../../core/shops/registry.ts';
import type { AppDeps } from '../appDeps.ts';
import { problem } from '../problem.ts';
import { jsonBody, readInput } from '../admin/query.ts';
import { consoleShopPath } from './shopifyInstallRoutes.ts';
import { webhookAddress } from '../webhookAddress.ts';

const StoreUrl = z.object({ store_url: httpUrl() });

/**
 * GET /woocommerce/install?store_url= → the store's /wc-auth/v1/authorize with a one-time user_id; POST
 * /woocommerce/callback ← the store's keys (unsigned: taken only with a live user_id issued for a store, and checked
 * against that store); GET /woocommerce/return ← the owner, back from the store, sent on to the shop's page.
 */
export function wooInstallRoutes(deps: AppDeps): Hono {
  const r = new Hono();
  const base = deps.config.publicUrl;
  const notConfigured = 'WooCommerce installs need APP_URL (the address the store sends its keys and webhooks to)';

  r.get('/install', (c) => {
    if (!base) return problem(c, 503, 'not_configured', notConfigured);
    const input = readInput(StoreUrl, c.req.query(), 'query');
    if (!input.ok) return problem(c, 400, 'invalid_store_url', input.message);
    const store = wooStoreBase(input.value.store_url);
    const nonce = deps.storage.installNonces.issue('woocommerce', store);
    return c.redirect(wcAuthorizeUrl(store, {
      nonce, returnUrl: `${base}/woocommerce/return?${new URLSearchParams({ store_url: store })}`, callbackUrl: `${base}/woocommerce/callback`,
    }), 302);
  });

  r.post('/callback', bodyLimit({ maxSize: 16 * 1024, onError: (c) => problem(c, 413, 'body_too_large', 'a wc-auth callback is a few hundred bytes') }), async (c) => {
    if (!base) return problem(c, 503, 'not_configured', notConfigured);
    const body = await jsonBody(c.req);
    if (!body.ok) return problem(c, 400, 'invalid_json', 'the request body is not JSON');
    const input = readInput(WcAuthKeys, body.value);
    if (!input.ok) return problem(c, 400, 'invalid_body', input.message);
    const keys = input.value;
    // Nothing signs this request: the one-time user_id is what ties it to an install an owner started here.
    const store = deps.storage.installNonces.take('woocommerce', keys.user_id);
    if (store === null) return problem(c, 403, 'unknown_nonce', 'this user_id was not issued by an install here, was used already, or expired');
    if (keys.key_permissions !== 'read_write') {
      return problem(c, 400, 'wrong_permissions', `the key is ${keys.key_permissions}; orderbridge asked for read_write (webhooks are written)`);
    }
    try {
      const { shop } = await connectWooShop(deps.storage.shops, deps.secrets, {
        url: store, consumerKey: keys.consumer_key, consumerSecret: keys.consumer_secret, deliveryUrl: webhookAddress(base, 'woocommerce'),
      });
      return c.json({ shop: shop.id }, 200); // WooCommerce takes exactly 200 as success
    } catch (error) {
      return problem(c, 502, 'woocommerce_unreachable', `could not check the keys and register webhooks with ${store}: ${(error as Error).message}`);
    }
  });

  r.get('/return', (c) => {
    if (!base) return problem(c, 503, 'not_configured', notConfigured);
    const input = readInput(StoreUrl, c.req.query(), 'query');
    if (!input.ok) return problem(c, 400, 'invalid_store_url', input.message);
    if (c.req.query('success') !== '1') return problem(c, 400, 'not_approved', 'the store did not approve orderbridge\'s access');
    const shop = deps.storage.shops.get(shopId('woocommerce', new URL(input.value.store_url).host));
    if (!shop?.credentialsSealed) return problem(c, 502, 'keys_not_received', 'the store approved, but its keys did not reach orderbridge: start the install again');
    return c.redirect(`${base}${consoleShopPath(shop.id)}`, 302);
  });
  return r;
}
