// Which Durable Object a request belongs to: the shop's (one per shop id, `<platform>:<domain>`), or the directory's
// (the list of shops, /health, and what names no shop, which the directory's app answers as Node's would).
import { isShopDomain } from '../../connectors/platforms/shopify/webhookVerifier.ts';
import { readWooWebhook } from '../../connectors/platforms/woocommerce/index.ts';

/** The directory's object name: no shop id is a single word. */
export const DIRECTORY_OBJECT = 'directory';

/** The header the entry names the object in; the object trusts it because the entry overwrites what a client sent. */
export const OBJECT_HEADER = 'x-orderbridge-object';

/** The admin API's description (src/app/admin/openapi.ts): open without the token, as on Node, and the same for every shop. */
export const OPEN_API_PATHS: ReadonlySet<string> = new Set(['/api/openapi.json', '/api/docs']);

export type Routed = { object: string; request: Request } | { problem: { status: 400; error: string; message: string } };

/**
 * The shop of a destination id or an order key (`<platform>:<domain>:<id>`), when it names one. The id has no colon
 * (order ids are the platform's numbers, destination ids letters, digits, dot, dash, underscore); a domain may have
 * one (a WooCommerce site on a port).
 */
export function shopOfKey(key: string | null | undefined): string | null {
  const m = key ? /^((?:shopify|woocommerce):[^:]+(?::\d+)?):[^:]+$/.exec(key) : null;
  return m ? m[1]! : null;
}

async function withBody(request: Request): Promise<{ request: Request; text: string; size: number }> {
  const bytes = await request.arrayBuffer();
  return { request: new Request(request, { body: bytes }), text: new TextDecoder().decode(bytes), size: bytes.byteLength };
}

/** Where a request goes, read from its path, headers and (WooCommerce webhooks, a shop's connection) its body. */
export async function route(request: Request, maxBodyBytes: number): Promise<Routed> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const to = (object: string | null, r: Request = request): Routed => ({ object: object ?? DIRECTORY_OBJECT, request: r });
  const declared = Number(request.headers.get('content-length') ?? 0);

  if (path === '/webhooks/shopify') {
    const domain = request.headers.get('x-shopify-shop-domain')?.trim().toLowerCase() ?? '';
    return to(isShopDomain(domain) ? `shopify:${domain}` : null);
  }
  if (path === '/webhooks/woocommerce') {
    if (declared > maxBodyBytes || request.method !== 'POST') return to(null); // answered 413 / 404 there
    const read = await withBody(request);
    if (read.size > maxBodyBytes) return to(null, read.request); // no length given, and too long: answered 413 there
    const webhook = readWooWebhook(read.request.headers, read.text);
    return to(webhook.kind === 'delivery' ? `woocommerce:${webhook.shop}` : null, read.request);
  }
  if (!path.startsWith('/api/') || OPEN_API_PATHS.has(path)) return to(null);

  const shopPath = /^\/api\/shops\/([^/]+)(?:\/|$)/.exec(path);
  if (shopPath) return to(decodeURIComponent(shopPath[1]!));
  if (path === '/api/shops' || path === '/api/stores') {
    if (!(path === '/api/shops' && request.method === 'POST') || declared > maxBodyBytes) return to(null);
    // Connecting a shop: its object is the one its URL (WooCommerce) or domain (Shopify) names; anything else is answered by the directory.
    const read = await withBody(request);
    let shop: string | null = null;
    try {
      const body = JSON.parse(read.text) as { platform?: unknown; url?: unknown; shop?: unknown };
      if (body.platform === 'woocommerce' && typeof body.url === 'string') shop = `woocommerce:${new URL(body.url).host.toLowerCase()}`;
      const domain = typeof body.shop === 'string' ? body.shop.trim().toLowerCase() : '';
      if (body.platform === 'shopify' && isShopDomain(domain)) shop = `shopify:${domain}`;
    } catch {
      // Not JSON, or no URL: the directory's app names the problem.
    }
    return to(shop, read.request);
  }
  const order = /^\/api\/orders\/([^/]+)/.exec(path);
  if (order) return to(shopOfKey(decodeURIComponent(order[1]!)));
  // The queues, jobs and the local store's listing are each a shop's: `shop=<shop id>`, or the shop of `destination`.
  const shop = url.searchParams.get('shop') ?? shopOfKey(url.searchParams.get('destination'));
  if (shop) return to(shop);
  return {
    problem: {
      status: 400, error: 'shop_required',
      message: `on Cloudflare Workers each shop's state is its own: add ?shop=<shop id> (e.g. shopify:demo.myshopify.com) to ${path}`,
    },
  };
}
