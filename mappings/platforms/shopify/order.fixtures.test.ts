import { describe, expect, it } from 'vitest';
import { Order, totalsDiscrepancy } from '../../../src/core/canonical/index.ts';
import { mapShopifyOrder, ShopifyMappingError } from './index.ts';
import { fixture, fixtureObject, fixtureText, FIXTURES } from './testFixtures.ts';

const line = {
  taxClass: null, url: null, imageUrl: null, category: null, giftCard: false, requiresShipping: true, attributes: {},
} as const;

describe('several lines, line- and order-level discounts, a discounted shipping line (order-discounts-shipping)', () => {
  const order = mapShopifyOrder(fixture(FIXTURES.discountsShipping), 'pracownia.myshopify.com');

  it('keeps ids beyond 2^53 exact', () => {
    expect(order.source.orderId).toBe('820982911946154508');
    expect(order.key).toBe('shopify:pracownia.myshopify.com:820982911946154508');
    expect(order.lineItems[0]!.id).toBe('9007199254740993');
    expect(order.lineItems[0]!.productId).toBe('9007199254740995');
    expect(order.customer!.id).toBe('7208888888888888888');
  });

  it('nets discounts into lines and shipping to the cent', () => {
    // lines 160.00 + 25.00 + 0.00 + 50.00; discounts 16.00 + 12.78 (sweater) and 2.22 (scarf);
    // shipping 12.00 − 5.00; tax 10.50 + 1.82 + 0.56; total 235.00 − 31.00 + 7.00 + 12.88 = 223.88
    expect(order.totals).toEqual({ subtotal: 23500, discount: 3100, shipping: 700, fees: 0, tax: 1288, total: 22388, refunded: 0 });
    expect(order.lineItems).toEqual([
      {
        ...line, id: '9007199254740993', productId: '9007199254740995', variantId: '44120000000001', sku: 'SWTR-FOREST-M',
        name: 'Wool Sweater', variantName: 'M / Forest', quantity: 2, unitPrice: 8000, subtotal: 16000, discount: 2878,
        total: 13122, tax: 1050, attributes: { Monogram: 'ZŁ' }, // "_bundle_id" is private
      },
      {
        ...line, id: '13688971493691', productId: '8061536829755', variantId: '44120000000002', sku: 'SCARF-RUST',
        name: 'Silk Scarf', variantName: null, quantity: 1, unitPrice: 2500, subtotal: 2500, discount: 222, total: 2278, tax: 182,
      },
      {
        ...line, id: '13688971493692', productId: '8061536829756', variantId: '44120000000003', sku: 'TOTE-FREE',
        name: 'Canvas Tote (free gift)', variantName: null, quantity: 1, unitPrice: 0, subtotal: 0, discount: 0, total: 0, tax: 0,
      },
      {
        ...line, id: '13688971493693', productId: '8061536829757', variantId: '44120000000004', sku: null,
        name: 'Gift Card', variantName: '$50', quantity: 1, unitPrice: 5000, subtotal: 5000, discount: 0, total: 5000, tax: 0,
        giftCard: true, requiresShipping: false, attributes: { Recipient: '山田太郎' },
      },
    ]);
  });

  it('reads status, people, shipping and the rest', () => {
    expect(order).toMatchObject({
      source: { orderNumber: '#2045' },
      status: 'completed', // fulfilled and closed
      platformStatus: 'closed',
      financialStatus: 'paid',
      fulfillmentStatus: 'fulfilled',
      createdAt: '2026-03-14T09:15:30.000Z',
      updatedAt: '2026-03-16T17:02:11.000Z',
      completedAt: '2026-03-16T17:02:10.000Z',
      cancelledAt: null,
      currency: 'USD',
      presentment: null, // presentment_currency is the shop currency
      taxesIncluded: false,
      paymentMethod: 'shopify_payments, gift_card',
      discountCodes: ['WELCOME15'],
      tags: ['vip', 'wholesale', 'Łódź'],
      note: 'Please gift wrap 🎁',
      attributes: { gift_message: 'Wszystkiego najlepszego!', delivery_slot: '3' },
      test: false,
    });
    expect(order.customer).toEqual({
      id: '7208888888888888888', email: 'zoe.lukasiewicz@example.com', phone: '+48 601 234 567',
      firstName: 'Zoë', lastName: 'Łukasiewicz', acceptsMarketing: true, locale: 'pl', // consent "subscribed" beats buyer_accepts_marketing
    });
    expect(order.billingAddress).toEqual({
      firstName: 'Zoë', lastName: 'Łukasiewicz', company: 'Pracownia Źródło Sp. z o.o.', address1: 'ul. Źródlana 7',
      address2: 'lok. 12', city: 'Kraków', province: null, provinceCode: null, postalCode: '31-001', country: 'PL',
      phone: '+48 601 234 567',
    });
    expect(order.shippingAddress).toEqual({
      firstName: 'Zoë', lastName: 'Łukasiewicz', company: null, address1: 'ul. Źródlana 7', address2: null,
      city: 'Kraków', province: null, provinceCode: null, postalCode: '31-001', country: 'PL', phone: null,
    });
    expect(order.shipping).toEqual({
      method: 'Express (2–3 days)',
      tracking: [ // the cancelled DHL fulfillment is left out
        { company: 'InPost', number: '620000000000000000000001', url: 'https://inpost.pl/sledzenie-przesylek?number=620000000000000000000001' },
        { company: 'InPost', number: '620000000000000000000002', url: 'https://inpost.pl/sledzenie-przesylek?number=620000000000000000000002' },
      ],
    });
  });

  it('refuses ids that JSON.parse already rounded, unless a gid gives them exactly', () => {
    const rounded = JSON.parse(fixtureText(FIXTURES.discountsShipping));
    expect(rounded.line_items[0].product_id).toBe(9007199254740996); // 9007199254740995 rounded
    expect(() => mapShopifyOrder(rounded, 'pracownia.myshopify.com')).toThrow(/line_items\[0\]\.product_id: 9007199254740996 is beyond 2\^53/);
    rounded.line_items[0].product_id = null;
    const order = mapShopifyOrder(rounded, 'pracownia.myshopify.com');
    expect(order.source.orderId).toBe('820982911946154508'); // from admin_graphql_api_id
    expect(order.lineItems[0]!.id).toBe('9007199254740993');
  });
});

describe('taxes included, two partial refunds (order-taxes-included-refunds)', () => {
  const order = mapShopifyOrder(fixture(FIXTURES.taxesIncludedRefunds), 'kiez-laden.myshopify.com');

  it('keeps tax inside prices and the original total', () => {
    // 132.30 − 13.23 + 4.90 = 123.97, VAT 19.80 inside it
    expect(order.taxesIncluded).toBe(true);
    expect(order.totals).toEqual({ subtotal: 13230, discount: 1323, shipping: 490, fees: 0, tax: 1980, total: 12397, refunded: 5881 });
    expect(order.lineItems.map((l) => [l.unitPrice, l.quantity, l.subtotal, l.discount, l.total, l.tax])).toEqual([
      [5990, 2, 11980, 1198, 10782, 1722],
      [1250, 1, 1250, 125, 1125, 180],
    ]);
  });

  it('reports refunds separately and stays paid while partially refunded', () => {
    expect(order.status).toBe('paid');
    expect(order.financialStatus).toBe('partially_refunded');
    expect(order.refunds).toEqual([
      {
        id: '9300000000001', createdAt: '2026-04-01T10:00:00.000Z', amount: 5391, reason: 'Falsche Größe',
        lineItems: [{ lineItemId: '14400000000011', quantity: 1, amount: 5391 }], // tax is inside the subtotal
      },
      { id: '9300000000002', createdAt: '2026-04-02T07:00:00.000Z', amount: 490, reason: null, lineItems: [] },
    ]);
  });

  it('fills a customer whose personal data Shopify withholds from the order copies', () => {
    expect(order.customer).toEqual({
      id: '6930000000001', email: 'lena.mueller@example.de', phone: null, firstName: 'Lena', lastName: 'Müller',
      acceptsMarketing: false, // "pending" double opt-in is no consent yet, whatever buyer_accepts_marketing says
      locale: 'de-DE',
    });
    expect(order.source.orderNumber).toBe('KL-1188');
    expect(order.shipping).toEqual({ method: 'DHL Paket', tracking: [] });
  });
});

describe('guest checkout in a foreign presentment currency, no addresses (order-guest-presentment)', () => {
  const order = mapShopifyOrder(fixture(FIXTURES.guestPresentment), 'maple-books.myshopify.com');

  it('keeps shop money and reports what the buyer saw', () => {
    expect(order.currency).toBe('USD');
    expect(order.presentment).toEqual({ currency: 'CAD', total: 4303 });
    expect(order.totals).toEqual({ subtotal: 2998, discount: 0, shipping: 0, fees: 0, tax: 150, total: 3148, refunded: 0 });
    expect(order.lineItems[0]).toMatchObject({ unitPrice: 1499, quantity: 2, subtotal: 2998, tax: 150, requiresShipping: false });
  });

  it('keeps the guest’s contact with a null id', () => {
    expect(order.customer).toEqual({
      id: null, email: 'guest.buyer@example.ca', phone: null, firstName: null, lastName: null, acceptsMarketing: true, locale: 'en-CA',
    });
    expect(order.billingAddress).toBeNull();
    expect(order.shippingAddress).toBeNull();
    expect(order).toMatchObject({
      status: 'placed', financialStatus: 'pending', platformStatus: 'open', note: null, paymentMethod: 'Bank Deposit',
      shipping: { method: null, tracking: [] },
    });
  });

  it('has no customer at all when the order names nobody', () => {
    const payload = fixtureObject(FIXTURES.guestPresentment);
    payload.email = null;
    payload.contact_email = '';
    expect(mapShopifyOrder(payload, 'maple-books.myshopify.com').customer).toBeNull();
  });
});

describe('JPY, cancelled, test order with Japanese names (order-jpy-cancelled-test)', () => {
  const order = mapShopifyOrder(fixture(FIXTURES.jpyCancelledTest), 'kyoto-tea.myshopify.com');

  it('reads a currency with no decimals', () => {
    // 1500 × 2 + 800 shipping, tax included: 273 + 73
    expect(order.totals).toEqual({ subtotal: 3000, discount: 0, shipping: 800, fees: 0, tax: 346, total: 3800, refunded: 0 });
    expect(order.lineItems[0]).toMatchObject({ id: '16600000000001', unitPrice: 1500, subtotal: 3000, tax: 273, name: '抹茶 宇治', variantName: '40g' });
  });

  it('is cancelled, test, and keeps big ids without a gid exact', () => {
    expect(order).toMatchObject({
      key: 'shopify:kyoto-tea.myshopify.com:820982911946154509',
      status: 'cancelled', platformStatus: 'cancelled', financialStatus: 'voided',
      createdAt: '2026-02-10T00:00:00.000Z', updatedAt: '2026-02-10T06:20:00.000Z',
      cancelledAt: '2026-02-10T06:19:58.000Z', cancelReason: 'customer', completedAt: null,
      test: true, tags: ['テスト'], attributes: { 配達時間: '午前中' }, paymentMethod: 'Cash on Delivery (COD)',
      shipping: { method: 'ヤマト運輸', tracking: [] },
    });
    expect(order.customer).toEqual({
      id: '9007199254740999', email: 'taro.yamada@example.jp', phone: '+819012345678',
      firstName: '太郎', lastName: '山田', acceptsMarketing: false, locale: 'ja',
    });
    expect(order.billingAddress).toMatchObject({ country: 'JP', province: 'Tokyo', provinceCode: 'JP-13', city: '渋谷区', address2: '渋谷ビル 4F' });
    expect(order.shippingAddress).toBeNull();
  });
});

describe('KWD, three decimals, fully refunded (order-kwd-refunded)', () => {
  const order = mapShopifyOrder(fixture(FIXTURES.kwdRefunded), 'oud-house.myshopify.com');

  it('keeps fils exact', () => {
    // 24.690 + 7.500 − (0.767 + 0.233) + 1.250 = 32.440
    expect(order.totals).toEqual({ subtotal: 32190, discount: 1000, shipping: 1250, fees: 0, tax: 0, total: 32440, refunded: 32440 });
    expect(order.lineItems.map((l) => [l.unitPrice, l.subtotal, l.discount, l.total])).toEqual([[12345, 24690, 767, 23923], [7500, 7500, 233, 7267]]);
    expect(order.refunds).toEqual([{
      id: '9600000000001', createdAt: '2026-01-09T08:00:00.000Z', amount: 32440, reason: 'Out of stock',
      lineItems: [{ lineItemId: '17700000000001', quantity: 2, amount: 23923 }, { lineItemId: '17700000000002', quantity: 1, amount: 7267 }],
    }]);
  });

  it('is refunded, with consent from the legacy accepts_marketing flag', () => {
    expect(order.status).toBe('refunded');
    expect(order.customer).toEqual({
      id: '7300000000001', email: 'fatima@example.com.kw', phone: '+965 5000 1234', firstName: 'فاطمة', lastName: 'الصباح',
      acceptsMarketing: true, locale: 'ar',
    });
    expect(order.billingAddress).toMatchObject({ country: 'KW', postalCode: null, city: 'Salmiya', province: 'Hawalli' });
  });
});

describe('amounts Shopify did not allocate', () => {
  it('spreads an unallocated order discount over the lines by their value', () => {
    const payload = fixtureObject(FIXTURES.taxesIncludedRefunds);
    for (const l of payload.line_items) l.discount_allocations = [];
    const order = mapShopifyOrder(payload, 'kiez-laden.myshopify.com');
    // 13.23 over 119.80 : 12.50 → 11.977… and 1.252… → 11.98 and 1.25
    expect(order.lineItems.map((l) => l.discount)).toEqual([1198, 125]);
    expect(order.totals.discount).toBe(1323);
    expect(totalsDiscrepancy(order)).toBe(0);
  });

  it('reads the deprecated line total_discount when there are no allocations', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.line_items[0].discount_allocations = [];
    payload.line_items[0].total_discount_set = null;
    payload.line_items[0].total_discount = '3.34';
    expect(mapShopifyOrder(payload, 'jsmith.myshopify.com').lineItems[0]!.discount).toBe(334);
  });

  it('reports duties and an unitemised tip as fees, keeping Shopify’s total', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.original_total_duties_set = { shop_money: { amount: '4.00', currency_code: 'USD' }, presentment_money: { amount: '4.00', currency_code: 'USD' } };
    payload.total_price_set.shop_money.amount = '605.94'; // 598.94 + 4.00 duties + 3.00 tip
    const order = mapShopifyOrder(payload, 'jsmith.myshopify.com');
    expect(order.totals).toMatchObject({ fees: 700, total: 60594 });
    expect(totalsDiscrepancy(order)).toBe(0);
  });
});

describe('every order fixture', () => {
  for (const name of Object.values(FIXTURES)) {
    it(`${name}: satisfies the totals invariant and the canonical schema`, () => {
      const order = mapShopifyOrder(fixture(name), 'fixture-shop.myshopify.com');
      expect(totalsDiscrepancy(order)).toBe(0);
      expect(order.totals.discount).toBe(order.lineItems.reduce((s, l) => s + l.discount, 0));
      for (const l of order.lineItems) expect(l.total).toBe(l.subtotal - l.discount);
      expect(Order.parse(order)).toEqual(order);
    });
  }

  it('throws ShopifyMappingError, not a TypeError, on a payload that is not an order', () => {
    expect(() => mapShopifyOrder({ hello: 'world' }, 'x.myshopify.com')).toThrow(ShopifyMappingError);
  });
});
