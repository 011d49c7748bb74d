import { STORES } from '../../connectors/registry.ts';
import type { Order } from '../../src/core/canonical/index.ts';

/** A store's simulator started for the benchmark, with what a destination needs to reach it. */
export interface Target {
  kind: string;
  url: string;
  settings: Record<string, unknown>;
  secret: string;
  /** Orders the simulator holds (or counted as accepted), to check the drain. */
  accepted(): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Every store in the registry, its simulator started for throughput: the vendors' quotas lifted (bench/deliver measures us, not them);
 * `limited` keeps each simulator's documented request limit (bench/pacing).
 */
export const TARGETS: Record<string, (opts?: { limited?: boolean }) => Promise<Target>> = Object.fromEntries(STORES.map((store) => [store.kind, async (opts?: { limited?: boolean }): Promise<Target> => {
  const sim = await store.simulator.start({ loadTest: !opts?.limited });
  return { kind: store.kind, url: sim.url, ...sim.destination, accepted: () => sim.accepted(), reset: () => sim.reset(), close: () => sim.close() };
}]));

/** A realistic order every store accepts: contact, addresses, two lines. */
export function benchOrder(n: number): Order {
  const id = String(1_000_000 + n);
  const at = new Date(Date.UTC(2026, 9, 1) + n * 1000).toISOString();
  const address = {
    firstName: 'Anna', lastName: 'Berg', company: null, address1: 'Storgatan 1', address2: null, city: 'Malmö',
    province: null, provinceCode: null, postalCode: '21122', country: 'SE', phone: '+46700000001',
  };
  const line = (i: number, price: number) => ({
    id: `${id}${i}`, productId: `${500 + i}`, variantId: `${700 + i}`, sku: `SKU-${i}`, name: `Mug ${i}`, variantName: null,
    quantity: 1, unitPrice: price, subtotal: price, discount: 0, total: price, tax: 0, taxClass: null,
    url: `https://shop.example/p/${i}`, imageUrl: `https://shop.example/p/${i}.jpg`, category: 'Kitchen',
    giftCard: false, requiresShipping: true, attributes: {},
  });
  return {
    key: `shopify:bench.myshopify.com:${id}`,
    source: { platform: 'shopify', shop: 'bench.myshopify.com', orderId: id, orderNumber: `#${n}` },
    status: 'paid', platformStatus: 'paid', financialStatus: 'paid', fulfillmentStatus: null,
    createdAt: at, updatedAt: at, completedAt: null, cancelledAt: null, cancelReason: null,
    currency: 'SEK', presentment: null, taxesIncluded: true,
    totals: { subtotal: 30000, discount: 0, shipping: 4900, fees: 0, tax: 6980, total: 34900, refunded: 0 },
    customer: { id: `c${n}`, email: `anna.${n}@example.com`, phone: '+46700000001', firstName: 'Anna', lastName: 'Berg', acceptsMarketing: true, locale: 'sv' },
    billingAddress: address, shippingAddress: address,
    lineItems: [line(1, 12000), line(2, 18000)],
    shipping: { method: 'PostNord', tracking: [] }, paymentMethod: 'klarna', discountCodes: [], refunds: [], tags: [],
    note: null, attributes: {}, test: false,
  };
}
