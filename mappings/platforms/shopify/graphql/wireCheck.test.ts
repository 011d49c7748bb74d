import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeShopifyShop, ShopifyAdmin, type OrderNode } from '../../../../connectors/platforms/shopify/admin/index.ts';
import { startShopifySimulator, type RunningShopifySimulator } from '../../../../connectors/platforms/shopify/simulator/index.ts';
import { ShopifyMappingError } from '../errors.ts';
import { mapShopifyGraphqlOrder } from './order.ts';
import { GraphqlOrder } from './wire.ts';
import { isGraphqlOrder } from './wireCheck.ts';

// The hand-written check that spares the resync zod's copy of every order must never pass what the schema refuses
// (the mapping would then meet a wrong type with no field named): every field of real orders, replaced by every
// kind of wrong value, is refused by the check wherever the schema refuses it.

const NOW = Date.parse('2026-04-20T00:00:00Z');
const WRONG: unknown[] = [undefined, null, 7, 1.5, 'x', 'gid://shopify/Order/1', true, [{}], {}, Number.NaN];

/** Every path into `v` (objects and arrays included), as key lists. */
function paths(v: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (v === null || typeof v !== 'object') return out;
  for (const [k, child] of Object.entries(v)) {
    const p = [...prefix, Array.isArray(v) ? Number(k) : k];
    out.push(p);
    paths(child, p, out);
  }
  return out;
}

function replaced(node: OrderNode, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(node) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

describe('the GraphQL order check against the schema', () => {
  let sim: RunningShopifySimulator;
  let nodes: OrderNode[] = [];
  beforeAll(async () => {
    sim = await startShopifySimulator({ shop: 'check.myshopify.com', orders: 200, currency: 'EUR', seed: 7, now: () => NOW, from: '2026-01-01T00:00:00Z', to: '2026-04-15T00:00:00Z', bucket: { restoreRate: 50_000 }, maxQueryCost: 40_000 });
    const unroute = routeShopifyShop(sim.shop, sim.url);
    try {
      const admin = new ShopifyAdmin({ maxQueryCost: 40_000 });
      for await (const page of admin.iterateOrders({ shop: sim.shop, token: sim.accessToken, from: '2000-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', by: 'created', now: NOW })) nodes.push(...page.orders);
    } finally {
      unroute();
    }
  });
  afterAll(() => sim.close());

  it('passes every order the simulator gives (so the resync reads them without the schema)', () => {
    expect(nodes).toHaveLength(200);
    for (const node of nodes) expect(isGraphqlOrder(node), node.id).toBe(true);
  });

  it('refuses every field replaced by a value the schema refuses, in orders of every shape', () => {
    // The richest orders first: refunds, customers, addresses, fulfilments, discounts, several lines.
    const richest = [...nodes].sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length).slice(0, 3);
    const withRefund = nodes.find((n) => Array.isArray(n.refunds) && n.refunds.length > 0)!;
    expect(withRefund, 'an order with a refund').toBeDefined();
    let refusedBySchema = 0;
    for (const node of [...richest, withRefund]) {
      for (const path of paths(node)) {
        for (const value of WRONG) {
          const changed = replaced(node, path, value);
          if (GraphqlOrder.safeParse(changed).success) continue;
          refusedBySchema += 1;
          expect(isGraphqlOrder(changed), `${path.join('.')} = ${JSON.stringify(value)}`).toBe(false);
        }
      }
    }
    expect(refusedBySchema).toBeGreaterThan(500);
  });

  it('an order the check refuses is named by the schema: the field and what is wrong', () => {
    const node = structuredClone(nodes[0]!) as Record<string, any>;
    node.lineItems.nodes[0].quantity = '2';
    expect(isGraphqlOrder(node)).toBe(false);
    expect(() => mapShopifyGraphqlOrder(node, sim.shop)).toThrow(ShopifyMappingError);
    expect(() => mapShopifyGraphqlOrder(node, sim.shop)).toThrow(/^unreadable Shopify payload: lineItems\.nodes\[0\]\.quantity: expected number, received string/);
  });
});
