import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeShopifyShop, ShopifyAdmin, type OrderNode } from '../../../../connectors/platforms/shopify/admin/index.ts';
import { simOrderFromRest } from '../../../../connectors/platforms/shopify/simulator/fromRest.ts';
import { startShopifySimulator, type RunningShopifySimulator, type ShopifySimulatorOptions } from '../../../../connectors/platforms/shopify/simulator/index.ts';
import { parseJsonLossless, totalsDiscrepancy, type Order } from '../../../../src/core/canonical/index.ts';
import { ShopifyMappingError } from '../errors.ts';
import { mapShopifyOrder } from '../order.ts';
import { FIXTURES, fixture } from '../testFixtures.ts';
import { mapShopifyGraphqlOrder } from './index.ts';

// The same order, read two ways from the simulator — its Admin GraphQL node through the Admin client, and its
// orders/* webhook JSON — must map to the same canonical order, field by field.

const NOW = Date.parse('2026-04-20T00:00:00Z');
const RANGE = { from: '2000-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', by: 'created' as const, now: NOW };
const admin = new ShopifyAdmin({ maxQueryCost: 40_000 });
let shops = 0;

type Sim = RunningShopifySimulator & { creds: { shop: string; token: string }; stop: () => Promise<void> };

async function simulator(opts: ShopifySimulatorOptions): Promise<Sim> {
  const shop = `parity-${++shops}.myshopify.com`;
  const sim = await startShopifySimulator({ shop, now: () => NOW, maxQueryCost: 40_000, bucket: { restoreRate: 50_000 }, bulkLatencyMs: 50, ...opts });
  const unroute = routeShopifyShop(shop, sim.url);
  return Object.assign(sim, { creds: { shop, token: sim.accessToken }, stop: async () => { unroute(); await sim.close(); } });
}

async function graphqlNodes(sim: Sim): Promise<OrderNode[]> {
  const nodes: OrderNode[] = [];
  for await (const page of admin.iterateOrders({ ...sim.creds, ...RANGE })) nodes.push(...page.orders);
  return nodes;
}

const idOf = (node: OrderNode) => node.id.split('/').pop()!;
const fromWebhook = (sim: Sim, id: string): Order => mapShopifyOrder(parseJsonLossless(sim.webhookBody(id)), sim.shop);

describe('GraphQL and webhook mappings agree on generated orders', () => {
  const seen = new Set<string>();
  const note = (o: Order, node: OrderNode) => {
    const facts: Array<[string, boolean]> = [
      ['presentment', o.presentment !== null], ['refunds', o.refunds.length > 0], ['cancelled', o.status === 'cancelled'],
      ['completed', o.status === 'completed'], ['guest', o.customer?.id === null], ['nobody', o.customer === null],
      ['gift card line', o.lineItems.some((l) => l.giftCard)], ['many lines', o.lineItems.length > 10],
      ['tracking', o.shipping.tracking.length > 0], ['test', o.test], ['taxes included', o.taxesIncluded],
      ['gift card payment', (o.paymentMethod ?? '').includes('gift_card')], ['fees', o.totals.fees > 0],
      ['discount', o.totals.discount > 0], ['attributes', Object.keys(o.attributes).length > 0],
      // the record without its personal fields (no protected-customer-data access): the order's copies fill in
      ['withheld customer', (node.customer as { firstName: string | null } | null)?.firstName === null && o.customer?.firstName !== null],
    ];
    for (const [name, yes] of facts) if (yes) seen.add(name);
  };

  for (const currency of ['USD', 'JPY', 'KWD', 'EUR']) {
    it(`a ${currency} shop: every order, field by field`, async () => {
      const sim = await simulator({ orders: 300, currency, seed: currency.charCodeAt(0), from: '2026-01-01T00:00:00Z', to: '2026-04-15T00:00:00Z' });
      try {
        const nodes = await graphqlNodes(sim);
        expect(nodes).toHaveLength(300);
        for (const node of nodes) {
          const viaGraphql = mapShopifyGraphqlOrder(node, sim.shop);
          expect(viaGraphql, `order ${node.id}`).toEqual(fromWebhook(sim, idOf(node)));
          expect(totalsDiscrepancy(viaGraphql)).toBe(0);
          expect(viaGraphql.currency).toBe(currency);
          note(viaGraphql, node);
        }
      } finally {
        await sim.stop();
      }
    });
  }

  it('covered the shapes that matter', () => {
    expect([...seen].sort()).toEqual([
      'attributes', 'cancelled', 'completed', 'discount', 'fees', 'gift card line', 'gift card payment', 'guest', 'many lines',
      'nobody', 'presentment', 'refunds', 'taxes included', 'test', 'tracking', 'withheld customer',
    ]);
  });
});

describe('GraphQL and webhook mappings agree on the fixtures\' shapes', () => {
  for (const name of Object.values(FIXTURES)) {
    it(`${name}: from GraphQL, from the simulator's webhook and from the fixture itself`, async () => {
      const payload = fixture(name);
      const order = simOrderFromRest(payload);
      const sim = await simulator({ orders: 0, currency: order.currency });
      try {
        sim.addOrder(order);
        const [node] = await graphqlNodes(sim);
        const viaGraphql = mapShopifyGraphqlOrder(node, sim.shop);
        expect(viaGraphql).toEqual(fromWebhook(sim, order.id));
        expect(viaGraphql).toEqual(mapShopifyOrder(payload, sim.shop));
      } finally {
        await sim.stop();
      }
    });
  }
});

describe('bulk and delivered webhooks', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await simulator({ orders: 300, currency: 'EUR', seed: 99, from: '2026-01-01T00:00:00Z', to: '2026-04-15T00:00:00Z' });
  });
  afterAll(() => sim.stop());

  it('bulk JSONL orders, joined, map to the same canonical orders', async () => {
    let count = 0;
    for await (const page of admin.runBulkOrders({ ...sim.creds, ...RANGE, pollMs: 30 })) {
      for (const node of page.orders) {
        expect(mapShopifyGraphqlOrder(node, sim.shop), `order ${node.id}`).toEqual(fromWebhook(sim, idOf(node)));
        count += 1;
      }
    }
    expect(count).toBe(300);
  });

  it('what a subscriber receives, after an order changed, maps to what GraphQL then reads', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify`;
      const ids = sim.orderIds().slice(0, 6);
      sim.changeOrder(ids[0]!, { refund: 'line' });
      sim.changeOrder(ids[1]!, { cancel: 'fraud' });
      sim.changeOrder(ids[2]!, { fulfill: { company: 'DHL', number: 'JD0001' }, close: true });
      for (const id of ids) await sim.sendWebhook(url, 'orders/updated', id);
      const nodes = new Map((await graphqlNodes(sim)).map((n) => [idOf(n), n]));
      ids.forEach((id, k) => {
        expect(mapShopifyOrder(parseJsonLossless(bodies[k]!), sim.shop)).toEqual(mapShopifyGraphqlOrder(nodes.get(id), sim.shop));
      });
      expect(mapShopifyOrder(parseJsonLossless(bodies[1]!), sim.shop).status).toBe('cancelled');
      expect(mapShopifyOrder(parseJsonLossless(bodies[2]!), sim.shop).shipping.tracking).toContainEqual({ company: 'DHL', number: 'JD0001', url: null });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('the GraphQL mapping refuses what it cannot read, naming the field', () => {
  const node = () => structuredClone(fixtureNode);
  let fixtureNode: OrderNode;
  beforeAll(async () => {
    const sim = await simulator({ orders: 0, currency: 'USD' });
    try {
      sim.addOrder(simOrderFromRest(fixture(FIXTURES.discountsShipping)));
      fixtureNode = (await graphqlNodes(sim))[0]!;
    } finally {
      await sim.stop();
    }
  });

  it('a connection not read to its end, a bad amount, a foreign currency', () => {
    const truncated = node() as any;
    truncated.lineItems.pageInfo.hasNextPage = true;
    expect(() => mapShopifyGraphqlOrder(truncated, 's.myshopify.com')).toThrow(new ShopifyMappingError('lineItems', 'incomplete: pageInfo.hasNextPage is true (fetch the rest before mapping)'));
    const amount = node() as any;
    amount.lineItems.nodes[1].originalUnitPriceSet.shopMoney.amount = 'twelve';
    expect(() => mapShopifyGraphqlOrder(amount, 's.myshopify.com')).toThrow(/lineItems\.nodes\[1\]\.originalUnitPriceSet\.shopMoney\.amount: expected a decimal string/);
    const foreign = node() as any;
    foreign.totalTaxSet.shopMoney.currencyCode = 'EUR';
    expect(() => mapShopifyGraphqlOrder(foreign, 's.myshopify.com')).toThrow(/totalTaxSet\.shopMoney\.currencyCode: EUR is not the order currency USD/);
    const refund = node() as any;
    refund.refunds = [{ id: 'gid://shopify/Refund/1', createdAt: '2026-03-01T00:00:00Z', note: null, refundLineItems: { nodes: [], pageInfo: { hasNextPage: true } }, transactions: { nodes: [] } }];
    expect(() => mapShopifyGraphqlOrder(refund, 's.myshopify.com')).toThrow(/refunds\[0\]\.refundLineItems: incomplete/);
    expect(() => mapShopifyGraphqlOrder({ ...node(), id: 'Order/1' }, 's.myshopify.com')).toThrow(/^unreadable Shopify payload: id: /);
  });
});
