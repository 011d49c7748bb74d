import { describe, expect, it } from 'vitest';
import { fixtureOrder } from '../../../test/support/fixtureOrders.ts';
import { canonicalOrder } from './fixtures.ts';
import { clip, DEFAULT_VOYADO_ORDER_OPTIONS, mapOrderToVoyado, voyadoContact, type VoyadoOrderOptions } from './order.ts';
import type { VoyadoOrder } from './types.ts';

function mapped(order = canonicalOrder(), opts: Partial<VoyadoOrderOptions> = {}): VoyadoOrder {
  const result = mapOrderToVoyado(order, { ...DEFAULT_VOYADO_ORDER_OPTIONS, ...opts });
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

describe('mapOrderToVoyado', () => {
  it('fills every v3 field the canonical order can fill', () => {
    const order = canonicalOrder({ id: '7001', lines: [[1749, 2, 349], [500, 1]], shipping: 4900, fees: 100, tax: 0 }, {
      shipping: { method: 'PostNord', tracking: [{ company: 'PostNord', number: 'PN123', url: 'https://t.example/PN123' }] },
      discountCodes: ['SPRING'],
    });
    expect(mapped(order, { externalStoreId: 'Ecom-SE' })).toEqual({
      orderId: '7001',
      contact: { matchKey: 'ada@example.com', matchKeyType: 'Email' },
      externalStoreId: 'Ecom-SE',
      status: 'InProgress',
      externalStatus: 'paid',
      currencyCode: 'SEK',
      channel: 'Ecom',
      createdAt: '2026-03-01T10:20:30.123Z',
      lastChangedAt: '2026-03-01T11:00:00.000Z',
      lineItems: {
        items: [
          {
            id: 'li-1', sku: 'SKU-1', productId: '1002', variantId: '2002', name: 'Product 1', quantity: 2,
            unitPrice: 17.49, grossAmount: 34.98, discountAmount: 3.49, totalAmount: 31.49, taxAmount: 0,
          },
          {
            id: 'li-2', sku: 'SKU-2', productId: '1003', variantId: '2003', name: 'Product 2', quantity: 1,
            unitPrice: 5, grossAmount: 5, discountAmount: 0, totalAmount: 5, taxAmount: 0,
          },
        ],
        subTotal: 36.49,
      },
      payments: { items: [{ method: 'Klarna', amount: 86.49 }], total: 86.49 },
      fees: { items: [{ type: 'Shipping', description: 'PostNord', amount: 49 }, { type: 'Other', amount: 1 }], total: 50 },
      discounts: { items: [{ code: 'SPRING' }], total: 3.49 },
      delivery: { method: 'PostNord', trackingNumber: 'PN123', trackingUri: 'https://t.example/PN123' },
      billingAddress: {
        firstname: 'Ada', lastname: 'Lovelace', street: 'Drottninggatan 1', zipCode: '111 51', city: 'Stockholm',
        countryCode: 'SE', phone: '+46 70 123 45 67', email: 'Ada@Example.com',
      },
    });
  });

  it('writes 0-decimal JPY amounts as whole numbers', () => {
    const o = mapped(canonicalOrder({ currency: 'JPY', lines: [[1200, 3]], shipping: 500 }));
    expect(o.currencyCode).toBe('JPY');
    expect(o.lineItems.items[0]).toMatchObject({ unitPrice: 1200, grossAmount: 3600, totalAmount: 3600 });
    expect(o.lineItems.subTotal).toBe(3600);
    expect(o.payments?.total).toBe(4100);
  });

  it('writes 3-decimal KWD amounts exactly', () => {
    const o = mapped(canonicalOrder({ currency: 'KWD', lines: [[12345, 1], [1, 3]], shipping: 1500 }));
    expect(o.lineItems.items.map((i) => i.totalAmount)).toEqual([12.345, 0.003]);
    expect(o.lineItems.subTotal).toBe(12.348);
    expect(o.fees?.total).toBe(1.5);
    expect(o.payments?.total).toBe(13.848);
  });

  it('matches a guest without a customer by the billing phone, and refuses one with nothing to match', () => {
    const guest = canonicalOrder({}, {
      customer: null,
      billingAddress: {
        firstName: 'Åsa', lastName: 'Öberg', company: null, address1: null, address2: null, city: 'Malmö', province: null,
        provinceCode: null, postalCode: null, country: 'SE', phone: '+46 (0)70-765 43 21',
      },
    });
    const o = mapped(guest);
    expect(o.contact).toEqual({ matchKey: '+460707654321', matchKeyType: 'MobilePhone' });
    expect(o.billingAddress).toEqual({ firstname: 'Åsa', lastname: 'Öberg', city: 'Malmö', countryCode: 'SE', phone: '+46 (0)70-765 43 21' });

    const anonymous = canonicalOrder({}, { customer: null, billingAddress: null });
    const result = mapOrderToVoyado(anonymous, DEFAULT_VOYADO_ORDER_OPTIONS);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('no Email / MobilePhone') });
  });

  it('keeps unicode names and clips long text without splitting a surrogate pair', () => {
    const o = mapped(canonicalOrder({}, {
      customer: {
        id: '9', email: 'zoë@example.com', phone: null, firstName: '李', lastName: 'Ñúñez 🎉', acceptsMarketing: null, locale: null,
      },
      billingAddress: null,
    }));
    expect(o.billingAddress).toEqual({ firstname: '李', lastname: 'Ñúñez 🎉', email: 'zoë@example.com' });
    expect(clip('ab🎉', 3)).toBe('ab');
    expect(clip('x'.repeat(300), 256)).toHaveLength(256);
  });

  it('uses the configured match key order, status table, store, channel and id prefix', () => {
    const order = canonicalOrder({ id: '42', status: 'refunded' });
    const o = mapped(order, {
      matchKeyTypes: ['ExternalId', 'Email'], orderIdPrefix: 'se-', channel: 'Web',
      statuses: { ...DEFAULT_VOYADO_ORDER_OPTIONS.statuses, refunded: 'Completed' },
    });
    expect(o).toMatchObject({
      // shops sharing a tenant share customer ids: the ExternalId takes the order id's prefix unless customerIdPrefix says otherwise
      orderId: 'se-42', contact: { matchKey: 'se-555', matchKeyType: 'ExternalId' }, channel: 'Web',
      externalStoreId: 'demo.myshopify.com', status: 'Completed', externalStatus: 'refunded',
    });
    expect(voyadoContact(order, ['MobilePhone'])).toEqual({ matchKey: '+46701234567', matchKeyType: 'MobilePhone' });
    expect(mapped(order, { matchKeyTypes: ['ExternalId'], orderIdPrefix: 'se-', customerIdPrefix: '' }).contact).toEqual({ matchKey: '555', matchKeyType: 'ExternalId' });
    expect(mapped(order, { matchKeyTypes: ['ExternalId'], customerIdPrefix: 'c-' }).contact).toEqual({ matchKey: 'c-555', matchKeyType: 'ExternalId' });
  });

  it('maps the canonical statuses to the three v3 statuses', () => {
    const status = (s: 'placed' | 'paid' | 'fulfilled' | 'completed' | 'cancelled' | 'refunded') => mapped(canonicalOrder({ status: s })).status;
    expect(['placed', 'paid', 'fulfilled'].map((s) => status(s as 'placed'))).toEqual(['InProgress', 'InProgress', 'InProgress']);
    expect(status('completed')).toBe('Completed');
    expect(status('cancelled')).toBe('Cancelled');
    expect(status('refunded')).toBe('Cancelled');
    expect(mapOrderToVoyado(canonicalOrder({ status: 'deleted' }))).toMatchObject({ ok: false });
  });

  it('leaves out zero-quantity lines and falls back to the variant id for a missing SKU', () => {
    const base = canonicalOrder({ lines: [[1000, 1], [999, 1]] });
    const [first, second] = base.lineItems;
    const order = canonicalOrder({}, {
      lineItems: [{ ...first!, sku: null }, { ...second!, quantity: 0, subtotal: 0, total: 0 }],
      totals: { ...base.totals, subtotal: 1000, total: 1000 },
    });
    const o = mapped(order);
    expect(o.lineItems.items).toHaveLength(1);
    expect(o.lineItems.items[0]).toMatchObject({ sku: '2002', totalAmount: 10 });
    expect(o.lineItems.subTotal).toBe(10);
  });
});

describe('Voyado line names', () => {
  it('names a variant once, from either platform: product name, then the variant', () => {
    const woo = mapped(fixtureOrder('woocommerce/order-variations-shipping-vat.json'));
    expect(woo.lineItems.items.map((i) => i.name)).toEqual(['Oud Perfume - 50ml', 'Linen Scarf - Desert Sand / Large', 'Gift Card']);
    const shopify = mapped(fixtureOrder('shopify/order-eur-shipping-vat-gift-card.json'));
    expect(shopify.lineItems.items.map((i) => i.name)).toEqual(['Pull en laine - M / Bleu nuit', 'Carte cadeau - 25 €']);
  });
});
