// The v3 document adds up in its own terms, for every order fixture of both platforms and for generated orders.
import { describe, expect, it } from 'vitest';
import { currencyExponent, Order, totalsDiscrepancy, type LineItem } from '../../../src/core/canonical/index.ts';
import { canonicalLine } from '../../../test/support/canonicalOrder.ts';
import { everyFixtureOrder, fixtureOrder } from '../../../test/support/fixtureOrders.ts';
import { canonicalOrder } from './fixtures.ts';
import { DEFAULT_VOYADO_ORDER_OPTIONS, mapOrderToVoyado } from './order.ts';
import type { VoyadoOrder } from './types.ts';

const OPTIONS = { ...DEFAULT_VOYADO_ORDER_OPTIONS, matchKeyTypes: ['Email', 'MobilePhone', 'ExternalId'] as const };

function voyado(order: Order): VoyadoOrder | null {
  const result = mapOrderToVoyado(order, OPTIONS);
  return result.ok ? result.order : null;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Read back as Voyado would, in minor units: every figure that should follow from others, minus what it is (all 0 when
 * the document adds up). Lines, then fees, then their taxes when prices are before tax, make the payments' total.
 */
function discrepancies(doc: VoyadoOrder, known: Pick<Order, 'taxesIncluded' | 'totals'>): Record<string, number> {
  const scale = 10 ** currencyExponent(doc.currencyCode);
  const m = (major: number | undefined) => Math.round((major ?? 0) * scale);
  const items = doc.lineItems.items;
  const fees = doc.fees?.items ?? [];
  const taxes = sum(items.map((i) => m(i.taxAmount))) + sum(fees.map((f) => m(f.taxAmount)));
  const paid = m(doc.lineItems.subTotal) + m(doc.fees?.total) + (known.taxesIncluded ? 0 : taxes);
  return {
    'payments.total − (subTotal + fees.total + taxes unless included)': m(doc.payments?.total) - paid,
    'payments.total − Σ payments': m(doc.payments?.total) - sum((doc.payments?.items ?? []).map((p) => m(p.amount))),
    'subTotal − Σ totalAmount': m(doc.lineItems.subTotal) - sum(items.map((i) => m(i.totalAmount))),
    'Σ |grossAmount − discountAmount − totalAmount|': sum(items.map((i) => Math.abs(m(i.grossAmount) - m(i.discountAmount) - m(i.totalAmount)))),
    'Σ |unitPrice × quantity − grossAmount|': sum(items.map((i) => Math.abs(m(i.unitPrice) * i.quantity - m(i.grossAmount)))),
    'fees.total − Σ fees': m(doc.fees?.total) - sum(fees.map((f) => m(f.amount))),
    'discounts.total − Σ discountAmount': m(doc.discounts?.total) - sum(items.map((i) => m(i.discountAmount))),
    'taxes − the order\'s tax': taxes - known.totals.tax,
  };
}

const balanced = (doc: VoyadoOrder) => Object.fromEntries(Object.keys(discrepancies(doc, canonicalOrder())).map((k) => [k, 0]));

describe('the Voyado document adds up', () => {
  const fixtures = everyFixtureOrder();

  it('covers Shopify and WooCommerce, prices with and without tax, discounts, fees, shipping tax and refunds', () => {
    const sent = fixtures.map((f) => f.order).filter((o) => voyado(o) !== null);
    const has = (p: (o: Order) => boolean) => sent.some(p);
    expect([
      has((o) => o.source.platform === 'shopify'), has((o) => o.source.platform === 'woocommerce'),
      has((o) => o.taxesIncluded), has((o) => !o.taxesIncluded), has((o) => o.totals.discount > 0), has((o) => o.totals.fees !== 0),
      has((o) => o.refunds.length > 0), has((o) => o.totals.tax > sum(o.lineItems.map((l) => l.tax))),
      has((o) => currencyExponent(o.currency) === 0), has((o) => currencyExponent(o.currency) === 3),
    ]).toEqual(Array(10).fill(true));
  });

  it.each(fixtures.map((f) => [f.name, f.order] as const))('%s', (_name, order) => {
    const doc = voyado(order);
    if (doc === null) {
      // only what v3 never takes as an order: a deletion or an abandoned checkout
      expect(['deleted', 'abandoned']).toContain(order.status);
      return;
    }
    expect(discrepancies(doc, order)).toEqual(balanced(doc));
  });

  it('for generated orders: 0-, 2- and 3-decimal currencies, tax on lines, shipping and fees, inclusive or not', () => {
    let seed = 20260418;
    const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let run = 0; run < 300; run++) {
      const currency = ['JPY', 'EUR', 'KWD'][run % 3]!;
      const taxesIncluded = next(2) === 0;
      const lines: LineItem[] = Array.from({ length: 1 + next(4) }, (_, i) => {
        const unitPrice = next(50_000);
        const quantity = 1 + next(5);
        return canonicalLine({
          id: `g${i}`, sku: `G-${i}`, unitPrice, quantity, discount: next(3) === 0 ? next(unitPrice * quantity + 1) : 0,
          tax: next(3) === 0 ? 0 : next(Math.floor(unitPrice * quantity / 4) + 1),
        });
      });
      const shipping = next(2) === 0 ? 0 : next(2_000);
      const fees = next(3) === 0 ? next(1_000) - 500 : 0;
      const unownedTax = shipping + fees > 0 && next(2) === 0 ? next(400) : 0;
      const tax = sum(lines.map((l) => l.tax)) + unownedTax;
      const subtotal = sum(lines.map((l) => l.subtotal));
      const discount = sum(lines.map((l) => l.discount));
      const order = canonicalOrder({ currency }, {
        taxesIncluded,
        lineItems: lines,
        totals: { subtotal, discount, shipping, fees, tax, total: subtotal - discount + shipping + fees + (taxesIncluded ? 0 : tax), refunded: 0 },
      });
      expect(totalsDiscrepancy(order)).toBe(0);
      const doc = voyado(order)!;
      expect(discrepancies(doc, order), `run ${run}`).toEqual(balanced(doc));
    }
  });

  it('puts a Shopify EUR order\'s shipping VAT on its shipping fee (174.80 + 9.95 + 29.96 + 1.99 = 216.70)', () => {
    const doc = voyado(fixtureOrder('shopify/order-eur-shipping-vat-gift-card.json'))!;
    expect(doc.lineItems.subTotal).toBe(174.8);
    expect(doc.lineItems.items.map((i) => i.taxAmount)).toEqual([29.96, 0]);
    expect(doc.fees).toEqual({ items: [{ type: 'Shipping', description: 'Colissimo', amount: 9.95, taxAmount: 1.99 }], total: 9.95 });
    expect(doc.payments?.total).toBe(216.7);
  });

  it('carries tax that no line owns on the other fee when there is no shipping, else on a fee of its own', () => {
    const withFee = canonicalOrder({ lines: [[1000, 1]], fees: 200, tax: 40 });
    expect(voyado(withFee)!.fees).toEqual({ items: [{ type: 'Other', amount: 2, taxAmount: 0.4 }], total: 2 });
    const bare = canonicalOrder({ lines: [[1000, 1]], tax: 3 });
    expect(voyado(bare)!.fees).toEqual({ items: [{ type: 'Other', description: 'Tax on no line', amount: 0, taxAmount: 0.03 }], total: 0 });
  });
});
