import '@shopify/shopify-api/adapters/web-api';
import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime';

// @shopify/shopify-api sends every Admin API call (and the OAuth token exchange) through the fetch its runtime
// adapter installs, to https://<shop>/…. The web-api adapter (Web fetch, no Node request objects) is imported
// here, once, and its fetch replaced by one that can send a shop's calls to a local simulator instead —
// the way Shopify's own end-to-end tests point the library at a local server (setAbstractFetchFunc after the
// adapter). With no route for a shop, calls go to Shopify unchanged.

const routes = new Map<string, string>();
let everyShop: string | undefined;

function requestUrl(input: RequestInfo | URL): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

async function routedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = requestUrl(input);
  const host = url.host.toLowerCase();
  const base = routes.get(host) ?? (host.endsWith('.myshopify.com') ? everyShop : undefined);
  if (!base) return globalThis.fetch(input, init);
  return globalThis.fetch(`${base}${url.pathname}${url.search}`, init);
}

setAbstractFetchFunc(routedFetch as typeof fetch);

/**
 * Sends the library's calls for `shop` (its myshopify domain) to `baseUrl` (e.g. a simulator on
 * http://127.0.0.1:port) instead of https://<shop>. Returns the function that removes the route.
 */
export function routeShopifyShop(shop: string, baseUrl: string): () => void {
  const key = shop.toLowerCase();
  routes.set(key, baseUrl.replace(/\/$/, ''));
  return () => {
    routes.delete(key);
  };
}

/** Sends every shop's calls to `baseUrl` (SHOPIFY_ADMIN_URL: a simulator standing in for Shopify); a shop's own route wins. */
export function routeEveryShopifyShop(baseUrl: string | undefined): void {
  everyShop = baseUrl?.replace(/\/$/, '');
}
