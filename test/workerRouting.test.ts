// Which Durable Object the Worker hands a request to (src/worker/routing.ts): a shop's, named by its shop id as the
// core spells it, or the directory's; a request that spans shops without naming one is a 400 that says what to add.
import { describe, expect, it } from 'vitest';
import { DIRECTORY_OBJECT, route, shopOfKey } from '../src/worker/routing.ts';

const at = async (path: string, init: RequestInit = {}) => {
  const routed = await route(new Request(`https://orderbridge.example${path}`, init), 1024);
  return 'object' in routed ? routed.object : routed.problem;
};

describe('the Worker routes each request to its shop\'s object', () => {
  it('reads the shop of order keys and destination ids, a WooCommerce site on a port included', () => {
    expect(shopOfKey('woocommerce:127.0.0.1:8080:100')).toBe('woocommerce:127.0.0.1:8080');
    expect(shopOfKey('woocommerce:shop.example:100')).toBe('woocommerce:shop.example');
    expect(shopOfKey('shopify:demo.myshopify.com:engage')).toBe('shopify:demo.myshopify.com');
    expect(shopOfKey('demo.myshopify.com')).toBeNull();
  });

  it('sends webhooks to the shop their headers name, and what names none to the directory', async () => {
    expect(await at('/webhooks/shopify', { method: 'POST', headers: { 'x-shopify-shop-domain': 'Demo.myshopify.com' }, body: '{}' })).toBe('shopify:demo.myshopify.com');
    expect(await at('/webhooks/shopify', { method: 'POST', headers: { 'x-shopify-shop-domain': 'evil.example' }, body: '{}' })).toBe(DIRECTORY_OBJECT);
    const woo = { 'x-wc-webhook-source': 'http://127.0.0.1:8080/', 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-signature': 'x', 'x-wc-webhook-id': '1', 'x-wc-webhook-delivery-id': '2' };
    expect(await at('/webhooks/woocommerce', { method: 'POST', headers: woo, body: '{}' })).toBe('woocommerce:127.0.0.1:8080');
    expect(await at('/webhooks/woocommerce', { method: 'POST', body: 'webhook_id=5' })).toBe(DIRECTORY_OBJECT); // a ping
  });

  it('sends the admin API to the shop in its path, key, destination or ?shop=, listings to the directory, and asks for a shop where none is named', async () => {
    expect(await at('/api/shops/shopify%3Ademo.myshopify.com/destinations')).toBe('shopify:demo.myshopify.com');
    expect(await at('/api/orders/woocommerce%3A127.0.0.1%3A8080%3A100/events')).toBe('woocommerce:127.0.0.1:8080');
    expect(await at('/api/dead-letters?destination=shopify%3Ademo.myshopify.com%3Aengage')).toBe('shopify:demo.myshopify.com');
    expect(await at('/api/dead-letters/7/replay?shop=shopify%3Ademo.myshopify.com', { method: 'POST' })).toBe('shopify:demo.myshopify.com');
    expect(await at('/api/shops', { method: 'POST', body: JSON.stringify({ platform: 'woocommerce', url: 'https://Shop.example/' }) })).toBe('woocommerce:shop.example');
    // A Shopify custom app's token given through the API: the shop's own object keeps it (its resyncs read with it there).
    expect(await at('/api/shops', { method: 'POST', body: JSON.stringify({ platform: 'shopify', shop: ' Demo.myshopify.com', accessToken: 'shpat_x' }) })).toBe('shopify:demo.myshopify.com');
    expect(await at('/api/shops', { method: 'POST', body: JSON.stringify({ platform: 'shopify', shop: 'not a shop' }) })).toBe(DIRECTORY_OBJECT);
    expect(await at('/api/shops')).toBe(DIRECTORY_OBJECT);
    expect(await at('/api/stores')).toBe(DIRECTORY_OBJECT);
    expect(await at('/api/openapi.json')).toBe(DIRECTORY_OBJECT);
    expect(await at('/api/outbox')).toMatchObject({ status: 400, error: 'shop_required' });
  });
});
