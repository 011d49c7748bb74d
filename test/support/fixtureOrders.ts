// Every order fixture of both platforms as a canonical order, for tests that must hold for all of them.
import { readdirSync, readFileSync } from 'node:fs';
import { parseJsonLossless, type Order } from '../../src/core/canonical/index.ts';
import { mapShopifyOrder } from '../../mappings/platforms/shopify/index.ts';
import { mapWooOrder } from '../../mappings/platforms/woocommerce/index.ts';

const SHOPIFY = new URL('../fixtures/shopify/', import.meta.url);
const WOOCOMMERCE = new URL('../fixtures/woocommerce/', import.meta.url);

const read = (dir: URL, name: string) => parseJsonLossless(readFileSync(new URL(name, dir), 'utf8'));
/** Whole orders only: `order-delete.json` is a deletion's bare id. */
const orderFiles = (dir: URL, prefix: string) => readdirSync(dir).filter((n) => n.startsWith(prefix) && n.endsWith('.json') && n !== 'order-delete.json').sort();

export interface FixtureOrder {
  /** File name, with the order's status for the files that hold a list. */
  name: string;
  order: Order;
}

/** The Shopify order fixtures (`order-*.json`), then the WooCommerce ones (`order-*.json`, `orders-*.json` lists). */
export function everyFixtureOrder(): FixtureOrder[] {
  const out: FixtureOrder[] = [];
  for (const name of orderFiles(SHOPIFY, 'order-')) out.push({ name: `shopify/${name}`, order: mapShopifyOrder(read(SHOPIFY, name), 'fixture-shop.myshopify.com') });
  for (const name of orderFiles(WOOCOMMERCE, 'order')) {
    const payload = read(WOOCOMMERCE, name);
    const payloads = Array.isArray(payload) ? payload : [payload];
    for (const p of payloads) {
      const order = mapWooOrder(p, 'fixture-shop.example.com');
      out.push({ name: Array.isArray(payload) ? `woocommerce/${name} (${order.platformStatus})` : `woocommerce/${name}`, order });
    }
  }
  return out;
}

/** One order fixture's canonical order, by its path under test/fixtures (`shopify/order-….json`, `woocommerce/order-….json`). */
export function fixtureOrder(path: string): Order {
  const [platform, name] = path.split('/') as [string, string];
  if (platform === 'shopify') return mapShopifyOrder(read(SHOPIFY, name), 'fixture-shop.myshopify.com');
  if (platform === 'woocommerce') return mapWooOrder(read(WOOCOMMERCE, name), 'fixture-shop.example.com');
  throw new Error(`not an order fixture path: ${path}`);
}
