import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, toMinor, totalsDiscrepancy } from '../../../src/core/canonical/index.ts';
import { buildOrder } from './fixtures.ts';
import { DEFAULT_MAPPING_OPTIONS, esputnikStatus, itemCostsMinor } from './common.ts';
import { planOrderWrite, toEsputnikOrder, type EsputnikOrdersOptions } from './orders.ts';
import type { EsputnikOrder } from './types.ts';

const OPTIONS: EsputnikOrdersOptions = { ...DEFAULT_MAPPING_OPTIONS, sendItems: true };

function mapped(order = buildOrder(), options = OPTIONS): EsputnikOrder {
  const result = toEsputnikOrder(order, options);
  if ('problem' in result) throw new Error(result.problem);
  return result;
}

function itemsPlusShippingMinor(o: EsputnikOrder, exponent: number): number {
  return (o.items ?? []).reduce((s, i) => s + toMinor(i.cost, exponent), 0) + toMinor(o.shipping, exponent);
}

describe('canonical → eSputnik v1/orders', () => {
  it('fills every documented field from a USD order with discount, tax and shipping', () => {
    const order = buildOrder({
      orderId: '5001',
      lines: [
        { unitPrice: 1999, quantity: 2, discount: 400, tax: 300, variantName: 'Blue / L' },
        { unitPrice: 500, quantity: 1, tax: 50, category: null },
      ],
      shipping: 1000,
      shippingTax: 100,
    });
    expect(totalsDiscrepancy(order)).toBe(0);
    const o = mapped(order);
    expect(o).toEqual({
      externalOrderId: '5001',
      externalCustomerId: '7001',
      totalCost: 55.48, // 39.98 + 5 − 4 discount + 10 shipping + 4.5 tax
      status: 'INITIALIZED',
      date: '2026-03-08T09:30:00+00:00',
      currency: 'USD',
      email: 'jane@example.com',
      phone: '380501234567',
      firstName: 'Jane',
      lastName: 'Doe',
      shipping: 10,
      discount: 4,
      taxes: 4.5,
      deliveryMethod: 'express',
      paymentMethod: 'card',
      deliveryAddress: 'First str. 1, 01001 Kyiv, UA',
      source: 'shopify',
      items: [
        {
          // 35.98 + its own 3.00 tax + 0.86 of the 1.00 shipping tax (spread by the lines' tax, 300 : 50)
          externalItemId: 'P1', name: 'Product 1', category: 'devices', quantity: 2, cost: 39.84,
          url: 'https://shop.example.com/p/1', imageUrl: 'https://cdn.example.com/p/1.png', description: 'Blue / L',
        },
        {
          externalItemId: 'P2', name: 'Product 2', quantity: 1, cost: 5.64, // 5.00 + 0.50 + 0.14
          url: 'https://shop.example.com/p/2', imageUrl: 'https://cdn.example.com/p/2.png',
        },
      ],
    });
    // the document's rule: item costs (discounts folded in) plus shipping make totalCost, to the cent
    expect(itemsPlusShippingMinor(o, 2)).toBe(toMinor(o.totalCost, 2));
  });

  it('keeps JPY amounts whole (0 decimals) and exact', () => {
    const order = buildOrder({
      currency: 'JPY',
      lines: [{ unitPrice: 1200, quantity: 3, discount: 100 }, { unitPrice: 333, quantity: 1 }],
      shipping: 500,
      fees: 7,
      taxesIncluded: true,
    });
    const o = mapped(order);
    expect(o.totalCost).toBe(4340);
    expect(o.shipping).toBe(500);
    for (const item of o.items ?? []) expect(Number.isInteger(item.cost)).toBe(true);
    expect(itemsPlusShippingMinor(o, 0)).toBe(4340);
  });

  it('keeps KWD amounts at 3 decimals and spreads an indivisible remainder exactly', () => {
    const order = buildOrder({
      currency: 'KWD',
      lines: [{ unitPrice: 1000, quantity: 1 }, { unitPrice: 1000, quantity: 1 }, { unitPrice: 1000, quantity: 1 }],
      shipping: 250,
      shippingTax: 1, // 0.001 KWD that no line owns
    });
    const o = mapped(order);
    expect(o.totalCost).toBe(3.251);
    expect(o.taxes).toBe(0.001);
    expect(o.items?.map((i) => i.cost).sort()).toEqual([1, 1, 1.001]);
    expect(itemsPlusShippingMinor(o, 3)).toBe(3251);
  });

  it('allocates over subtotals when every line is free after discounts', () => {
    const order = buildOrder({ lines: [{ unitPrice: 100, discount: 100 }, { unitPrice: 300, discount: 300 }], shipping: 499 });
    expect(itemCostsMinor(order)).toEqual([0, 0]);
    expect(mapped(order).totalCost).toBe(4.99);
  });

  it('maps a guest without customer from the billing address', () => {
    const order = buildOrder({ customer: null, billingPhone: '+44 (0)20 7946-0958' });
    const o = mapped(order);
    expect(o.externalCustomerId).toBeUndefined();
    expect(o.email).toBeUndefined();
    expect(o.phone).toBe('4402079460958');
    expect(o.firstName).toBe('Guest');
    expect(o.lastName).toBe('Buyer');
  });

  it('refuses an order nobody can be matched to', () => {
    const order = buildOrder({ customer: null, billingPhone: null });
    expect(planOrderWrite(order, OPTIONS)).toEqual({
      action: 'reject', problem: 'eSputnik orders need externalCustomerId, email or phone; the order has none',
    });
  });

  it('keeps unicode names and product names as they are', () => {
    const order = buildOrder({
      customer: { firstName: 'Іван', lastName: 'Шевченко' },
      lines: [{ unitPrice: 2500, name: 'Чоловічий рюкзак – синій 🎒' }],
    });
    const o = mapped(order);
    expect(o.firstName).toBe('Іван');
    expect(o.lastName).toBe('Шевченко');
    expect(o.items?.[0]?.name).toBe('Чоловічий рюкзак – синій 🎒');
  });

  it('fills url and imageUrl the API requires when the platform gave none: the shop, itemImageUrl, else the url', () => {
    const order = buildOrder({ lines: [{ unitPrice: 100 }, { unitPrice: 100, url: null, imageUrl: null }, { unitPrice: 100, imageUrl: null }] });
    const withLogo = mapped(order, { ...OPTIONS, itemImageUrl: 'https://cdn.example.com/logo.png' });
    expect(withLogo.items?.[0]?.imageUrl).toBe('https://cdn.example.com/p/1.png'); // a line's own image wins
    expect(withLogo.items?.[1]).toMatchObject({ url: 'https://shop.example.com/', imageUrl: 'https://cdn.example.com/logo.png' });
    // No image to give: the item's url stands in, never an empty value a strict store would refuse the order for.
    const plain = mapped(order).items!;
    expect(plain[1]).toMatchObject({ url: 'https://shop.example.com/', imageUrl: 'https://shop.example.com/' });
    expect(plain[2]!.imageUrl).toBe(plain[2]!.url);
    expect(plain[2]!.url).toMatch(/^https:\/\/shop\.example\.com\/p\//);
  });

  it('sends totals only when items are switched off, and prefixes ids when asked', () => {
    const o = mapped(buildOrder({ orderId: '42' }), { ...OPTIONS, sendItems: false, orderIdPrefix: 'eu-' });
    expect(o.items).toBeUndefined();
    expect(o.externalOrderId).toBe('eu-42');
  });

  it('prefixes the customer id like the order id unless customerIdPrefix says otherwise (shops sharing an account share customer ids)', () => {
    const order = buildOrder({ orderId: '42' });
    const customer = order.customer!.id!;
    expect(mapped(order, { ...OPTIONS, orderIdPrefix: 'eu-' }).externalCustomerId).toBe(`eu-${customer}`);
    expect(mapped(order, { ...OPTIONS, orderIdPrefix: 'eu-', customerIdPrefix: 'c-' }).externalCustomerId).toBe(`c-${customer}`);
    expect(mapped(order, { ...OPTIONS, orderIdPrefix: 'eu-', customerIdPrefix: '' }).externalCustomerId).toBe(customer);
    expect(mapped(order, OPTIONS).externalCustomerId).toBe(customer);
  });

  it('translates every canonical status (the README table)', () => {
    const table = Object.fromEntries(ORDER_STATUSES.map((s) => [s, esputnikStatus(s, OPTIONS)]));
    expect(table).toEqual({
      placed: 'INITIALIZED', paid: 'IN_PROGRESS', fulfilled: 'DELIVERED', completed: 'DELIVERED',
      cancelled: 'CANCELLED', refunded: 'CANCELLED', deleted: 'CANCELLED', abandoned: 'ABANDONED_SHOPPING_CART',
    });
    expect(esputnikStatus('fulfilled', { ...OPTIONS, fulfilledStatus: 'IN_PROGRESS' })).toBe('IN_PROGRESS');
    expect(mapped(buildOrder({ status: 'abandoned' })).status).toBe('ABANDONED_SHOPPING_CART');
  });

  it('plans a delete for a deleted order and nothing for a customer-only change', () => {
    expect(planOrderWrite(buildOrder({ orderId: '9', status: 'deleted' }), OPTIONS))
      .toEqual({ action: 'delete', externalOrderId: '9' });
    expect(planOrderWrite(null, OPTIONS).action).toBe('skip');
    expect(planOrderWrite(buildOrder({ status: 'paid' }), OPTIONS).action).toBe('upsert');
  });

  it('deletes the cart record of a checkout the buyer completed (no abandoned cart; the purchase is its own order)', () => {
    const open = buildOrder({ orderId: 'checkout:c0ffee', status: 'abandoned' });
    expect(planOrderWrite(open, OPTIONS)).toMatchObject({ action: 'upsert', order: { status: 'ABANDONED_SHOPPING_CART' } });
    expect(planOrderWrite({ ...open, completedAt: '2026-03-02T10:00:00.000Z' }, OPTIONS)).toEqual({ action: 'delete', externalOrderId: 'checkout:c0ffee' });
  });

  it('skips platform test orders, deletions included, unless sendTestOrders is on', () => {
    const skip = { action: 'skip', reason: 'test order (sendTestOrders is off)' };
    expect(DEFAULT_MAPPING_OPTIONS.sendTestOrders).toBe(false);
    expect(planOrderWrite(buildOrder({ test: true }), OPTIONS)).toEqual(skip);
    expect(planOrderWrite(buildOrder({ test: true, status: 'deleted' }), OPTIONS)).toEqual(skip);
    expect(planOrderWrite(buildOrder({ test: true }), { ...OPTIONS, sendTestOrders: true }).action).toBe('upsert');
    expect(planOrderWrite(buildOrder({ test: false }), OPTIONS).action).toBe('upsert');
  });
});
