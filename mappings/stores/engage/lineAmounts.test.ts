// Engage's line fields multiply back: price × quantity = subtotal in the currency's minor unit, by one rounding rule.
import { describe, expect, it } from 'vitest';
import { currencyExponent, type Order } from '../../../src/core/canonical/index.ts';
import { fixtureOrder } from '../../../test/support/fixtureOrders.ts';
import { canonicalOrder } from './fixtures.ts';
import { DEFAULT_ENGAGE_STATUSES, mapOrderToEngage, type EngageLineItem, type EngageMappingOptions } from './index.ts';

const OPTS: EngageMappingOptions = {
  events: ['order.updated'], origin: 'webhook', now: Date.parse('2026-06-01T00:00:00Z'), maxOrderAgeDays: 730,
  sendTestOrders: true, statuses: DEFAULT_ENGAGE_STATUSES,
};

function lines(order: Order): EngageLineItem[] {
  const m = mapOrderToEngage(order, OPTS);
  if (m.kind !== 'send') throw new Error(`${m.kind}: ${m.reason}`);
  return m.order.line_items;
}

/** Major units back to minor units, as a reader in that currency would count them. */
const minor = (major: number | undefined, currency: string) => Math.round((major ?? 0) * 10 ** currencyExponent(currency));

describe('Engage line amounts before tax', () => {
  it('sends a JPY 2 × 1,990 tax-inclusive line (361 tax) as 1,809 × 2 = 3,618 + 362, not 1,810 × 2 against 3,619', () => {
    const [line] = lines(fixtureOrder('shopify/order-jpy-taxes-included-two-units.json'));
    expect(line).toMatchObject({
      line_item_price: 1809, line_item_quantity: 2, line_item_subtotal: 3618, line_item_subtotal_tax: 362,
      line_item_total: 3618, line_item_total_tax: 362,
    });
  });

  it.each([['JPY', 0], ['EUR', 2], ['KWD', 3]] as const)('%s (%i decimals): price × quantity = subtotal, each tax the rest of what its amount cost', (currency, decimals) => {
    expect(currencyExponent(currency)).toBe(decimals);
    let seed = 1990 + decimals;
    const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let run = 0; run < 400; run++) {
      const taxesIncluded = run % 2 === 0;
      const quantity = 1 + next(12);
      const unitPrice = 1 + next(10 ** (decimals + 3));
      const subtotal = unitPrice * quantity;
      const discount = next(3) === 0 ? next(subtotal) : 0;
      const total = subtotal - discount;
      // a rate of 0–25 %, rounded as the platform pleases: what the buyer paid, of which this much is tax
      const rate = next(26) / 100;
      const tax = Math.round(taxesIncluded ? total - total / (1 + rate) : total * rate) + (next(2) === 0 ? 0 : next(3) - 1);
      const order = canonicalOrder({ currency, lines: [[unitPrice, quantity]] }, { taxesIncluded });
      order.lineItems[0] = { ...order.lineItems[0]!, discount, total, tax: Math.max(0, tax) };
      const line = order.lineItems[0];
      const [sent] = lines(order);
      const m = (major: number | undefined) => minor(major, currency);
      const paid = taxesIncluded ? line.total : line.total + line.tax;
      const context = `run ${run}: ${JSON.stringify({ taxesIncluded, quantity, unitPrice, discount, tax: line.tax })} → ${JSON.stringify(sent)}`;
      expect(m(sent!.line_item_price) * quantity, context).toBe(m(sent!.line_item_subtotal));
      expect(m(sent!.line_item_total) + m(sent!.line_item_total_tax), context).toBe(paid);
      if (discount === 0) {
        expect(m(sent!.line_item_subtotal) + m(sent!.line_item_subtotal_tax), context).toBe(paid);
        expect(sent!.line_item_total, context).toBe(sent!.line_item_subtotal);
        // rounding the price down moves less than one minor unit per unit from the price to the tax
        const taxMoved = m(sent!.line_item_total_tax) - line.tax;
        expect(taxMoved >= 0 && taxMoved < quantity, context).toBe(true);
      } else {
        expect(m(sent!.line_item_total_tax), context).toBe(line.tax);
      }
    }
  });

  it('leaves a line that already multiplies back as the platform sent it', () => {
    const order = canonicalOrder({ currency: 'EUR', lines: [[1250, 3]] }, { taxesIncluded: true });
    order.lineItems[0] = { ...order.lineItems[0]!, tax: 600 }; // 37.50 of which 6.00 VAT: 31.50 = 10.50 × 3
    expect(lines(order)[0]).toMatchObject({
      line_item_price: 10.5, line_item_subtotal: 31.5, line_item_subtotal_tax: 6, line_item_total: 31.5, line_item_total_tax: 6,
    });
  });
});

describe('Engage line names', () => {
  it('names a variant as WooCommerce names a variation\'s line, from either platform', () => {
    expect(lines(fixtureOrder('woocommerce/order-variations-shipping-vat.json')).map((l) => l.line_item_name))
      .toEqual(['Oud Perfume - 50ml', 'Linen Scarf - Desert Sand / Large', 'Gift Card']);
    expect(lines(fixtureOrder('shopify/order-eur-shipping-vat-gift-card.json')).map((l) => l.line_item_name))
      .toEqual(['Pull en laine - M / Bleu nuit', 'Carte cadeau - 25 €']);
  });
});
