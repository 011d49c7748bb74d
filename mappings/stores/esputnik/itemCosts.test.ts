// Item costs: each line at what the buyer paid for it, with its own tax; only what no line owns is spread.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/core/canonical/index.ts';
import { everyFixtureOrder, fixtureOrder } from '../../../test/support/fixtureOrders.ts';
import { DEFAULT_MAPPING_OPTIONS, itemCostsMinor } from './common.ts';
import { buildOrder } from './fixtures.ts';
import { toEsputnikOrder } from './orders.ts';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** What the line cost the buyer, tax included: its discounted total, plus its tax when prices are before tax. */
const owned = (order: Order) => order.lineItems.map((l) => l.total + (order.taxesIncluded ? 0 : l.tax));

describe('eSputnik item costs', () => {
  it('Shopify EUR: the untaxed gift card goes at 25.00, the sweater at 149.80 + its 29.96 VAT + the 1.99 shipping VAT', () => {
    const order = fixtureOrder('shopify/order-eur-shipping-vat-gift-card.json');
    const sent = toEsputnikOrder(order, { ...DEFAULT_MAPPING_OPTIONS, sendItems: true });
    if ('problem' in sent) throw new Error(sent.problem);
    expect(sent.items?.map((i) => [i.name, i.cost])).toEqual([['Pull en laine', 181.75], ['Carte cadeau', 25]]);
    expect(sent).toMatchObject({ totalCost: 216.7, shipping: 9.95, taxes: 31.95 });
  });

  it('WooCommerce EUR: each line with its own VAT, the 0.93 shipping VAT by the lines\' VAT, none on the gift card', () => {
    // 178.00 + 33.82 + 0.75 | 45.00 + 8.55 + 0.18 | 25.00; 0.93 split 3382 : 855
    expect(itemCostsMinor(fixtureOrder('woocommerce/order-variations-shipping-vat.json'))).toEqual([21257, 5373, 2500]);
  });

  it('spreads fees by value, and tax no line owns by value when no line is taxed', () => {
    const fees = buildOrder({ lines: [{ unitPrice: 3000, tax: 600 }, { unitPrice: 1000 }], fees: 460 });
    expect(itemCostsMinor(fees)).toEqual([3600 + 360, 1000 + 100]); // 460 split 3600 : 1000
    const untaxed = buildOrder({ lines: [{ unitPrice: 3000 }, { unitPrice: 1000 }], shipping: 500, shippingTax: 100 });
    expect(itemCostsMinor(untaxed)).toEqual([3075, 1025]);
  });

  it('prices including tax: a line costs its total, its tax already inside; shipping\'s tax stays in shipping', () => {
    const order = fixtureOrder('shopify/order-taxes-included-refunds.json');
    expect(itemCostsMinor(order)).toEqual(order.lineItems.map((l) => l.total));
  });

  describe.each(everyFixtureOrder().map((f) => [f.name, f.order] as const))('%s', (_name, order) => {
    it('adds up to totalCost − shipping; without fees a line costs exactly its own, plus a share of untaxed tax only if taxed', () => {
      const costs = itemCostsMinor(order);
      expect(sum(costs)).toBe(order.totals.total - order.totals.shipping);
      for (const c of costs) expect(c).toBeGreaterThanOrEqual(0);
      if (order.totals.fees !== 0) return;
      const own = owned(order);
      const anyTaxed = order.lineItems.some((l) => l.tax > 0);
      order.lineItems.forEach((l, i) => {
        if (anyTaxed && l.tax === 0) expect(costs[i]).toBe(own[i]); // an untaxed line takes no tax
        else expect(costs[i]! - own[i]!).toBeGreaterThanOrEqual(0);
      });
    });
  });
});
