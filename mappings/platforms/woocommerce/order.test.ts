import { describe, expect, it } from 'vitest';
import { Order, totalsDiscrepancy } from '../../../src/core/canonical/index.ts';
import { wooFixture } from '../../../test/fixtures/woocommerce/load.ts';
import { mapWooOrder, WooMappingError } from './index.ts';

const SHOP = 'shop.example.com';
const asRecord = (v: unknown) => v as Record<string, unknown>;

describe('mapWooOrder: the documented sample (order 727)', () => {
  it('maps every canonical field exactly', () => {
    const order = mapWooOrder(wooFixture('order-v3-docs-sample.json'), 'Example.com');
    expect(order).toEqual({
      key: 'woocommerce:example.com:727',
      source: { platform: 'woocommerce', shop: 'example.com', orderId: '727', orderNumber: '727' },
      status: 'paid',
      platformStatus: 'processing',
      financialStatus: 'paid',
      fulfillmentStatus: null,
      createdAt: '2017-03-22T19:28:02.000Z',
      updatedAt: '2017-03-22T19:28:08.000Z',
      completedAt: null,
      cancelledAt: null,
      cancelReason: null,
      currency: 'USD',
      presentment: null,
      taxesIncluded: false,
      totals: { subtotal: 1800, discount: 0, shipping: 1000, fees: 0, tax: 135, total: 2935, refunded: 0 },
      customer: {
        id: null, email: 'john.doe@example.com', phone: '(555) 555-5555', firstName: 'John', lastName: 'Doe',
        acceptsMarketing: null, locale: null,
      },
      billingAddress: {
        firstName: 'John', lastName: 'Doe', company: null, address1: '969 Market', address2: null,
        city: 'San Francisco', province: null, provinceCode: 'CA', postalCode: '94103', country: 'US',
        phone: '(555) 555-5555',
      },
      shippingAddress: {
        firstName: 'John', lastName: 'Doe', company: null, address1: '969 Market', address2: null,
        city: 'San Francisco', province: null, provinceCode: 'CA', postalCode: '94103', country: 'US', phone: null,
      },
      lineItems: [
        {
          id: '315', productId: '93', variantId: null, sku: null, name: 'Woo Single #1', variantName: null,
          quantity: 2, unitPrice: 300, subtotal: 600, discount: 0, total: 600, tax: 45, taxClass: 'standard',
          url: null, imageUrl: null, category: null, giftCard: false, requiresShipping: true, attributes: {},
        },
        {
          // WooCommerce 2's title "Ship Your Idea &ndash; Color: Black, Size: M Test" names the variant: the product's name alone
          id: '316', productId: '22', variantId: '23', sku: 'Bar3', name: 'Ship Your Idea',
          variantName: 'black / M Test', quantity: 1, unitPrice: 1200, subtotal: 1200, discount: 0, total: 1200,
          tax: 90, taxClass: 'standard', url: null, imageUrl: null, category: null, giftCard: false,
          requiresShipping: true, attributes: { pa_color: 'black', size: 'M Test' },
        },
      ],
      shipping: { method: 'Flat Rate', tracking: [] },
      paymentMethod: 'Direct Bank Transfer',
      discountCodes: [],
      refunds: [],
      tags: [],
      note: null,
      attributes: {}, // _download_permissions_granted is private
      test: false,
    });
  });
});

describe('mapWooOrder: awkward fixtures', () => {
  it('tax-inclusive EUR store: gross lines, shipping and discount; variation attributes; coupon', () => {
    const o = mapWooOrder(wooFixture('order-tax-inclusive-eur.json'), 'winkel.example.nl');
    expect(o.taxesIncluded).toBe(true);
    // 41.32+8.68 + 10.33+2.17 = 62.50; discount 5.17+1.08; shipping 4.95+1.04; tax = total_tax
    expect(o.totals).toEqual({ subtotal: 6250, discount: 625, shipping: 599, fees: 0, tax: 1080, total: 6224, refunded: 0 });
    expect(o.lineItems.map((l) => [l.unitPrice, l.subtotal, l.discount, l.total, l.tax])).toEqual([
      [2500, 5000, 500, 4500, 781],
      [1250, 1250, 125, 1125, 195],
    ]);
    const tee = o.lineItems[0]!;
    expect(tee.variantId).toBe('51');
    expect(tee.productId).toBe('48');
    expect(tee.name).toBe('Organic Tee');
    expect(tee.variantName).toBe('Ocean Blue / L'); // display values, as the buyer saw them
    expect(tee.attributes).toEqual({ pa_color: 'ocean-blue', pa_size: 'l' });
    expect(tee.imageUrl).toBe('https://winkel.example.nl/wp-content/uploads/tee-ocean-blue.jpg');
    expect(o.discountCodes).toEqual(['summer10']);
    expect(o.shipping.method).toBe('PostNL');
    expect(o.paymentMethod).toBe('iDEAL');
    expect(o.attributes).toEqual({ gift_message: 'Fijne verjaardag!', is_vat_exempt: 'no' });
    expect(o.customer?.id).toBe('12');
    expect(o.billingAddress?.provinceCode).toBeNull();
    expect(o.createdAt).toBe('2025-03-14T09:12:44.000Z');
  });

  it('fees (taxable and negative), fixed-cart coupon, partial refund, tracking, private meta hidden', () => {
    const o = mapWooOrder(wooFixture('order-fees-coupon-partial-refund.json'), SHOP);
    expect(o.totals).toEqual({ subtotal: 7500, discount: 1000, shipping: 750, fees: 200, tax: 620, total: 8070, refunded: 1620 });
    expect(o.lineItems.map((l) => [l.unitPrice, l.subtotal, l.discount, l.total, l.tax])).toEqual([
      [3000, 3000, 400, 2600, 208],
      [1500, 4500, 600, 3900, 312],
    ]);
    expect(o.status).toBe('paid');
    expect(o.financialStatus).toBe('partially_refunded');
    expect(o.refunds).toEqual([
      { id: '8840', createdAt: '2025-06-04T08:01:33.000Z', amount: 1620, reason: 'One mug arrived broken', lineItems: [] },
    ]);
    expect(o.shipping.tracking).toEqual([{ company: 'USPS', number: '9400111899223817263541', url: null }]);
    expect(o.attributes).toEqual({ how_did_you_hear: 'podcast', newsletter_opt_in: '1' });
    expect(o.note).toBe('Please leave at the back door.');
    expect(o.customer?.email).toBe('Maria.Lopez@Example.com');
    expect(o.billingAddress?.address2).toBe('Apt 4B');
    expect(o.paymentMethod).toBe('Credit Card (Stripe)');
  });

  it('fully refunded with two refunds', () => {
    const o = mapWooOrder(wooFixture('order-refunded-full.json'), SHOP);
    expect(o.status).toBe('refunded');
    expect(o.financialStatus).toBe('refunded');
    expect(o.totals.refunded).toBe(3299);
    expect(o.totals.total).toBe(3299);
    expect(o.refunds.map((r) => [r.id, r.amount, r.reason])).toEqual([
      ['1330', 2999, 'Customer returned the item'],
      ['1310', 300, 'Shipping refund'],
    ]);
  });

  it('guest order with no email keeps the phone; free-text county; empty shipping address is null', () => {
    const o = mapWooOrder(wooFixture('order-guest-no-email.json'), 'teashop.example.co.uk');
    expect(o.customer).toEqual({
      id: null, email: null, phone: '+44 20 7946 0958', firstName: 'Siobhán', lastName: "O'Connor",
      acceptsMarketing: null, locale: null,
    });
    expect(o.billingAddress?.province).toBe('Greater London');
    expect(o.billingAddress?.provinceCode).toBeNull();
    expect(o.shippingAddress).toBeNull();
    expect(o.status).toBe('placed');
    expect(o.financialStatus).toBe('pending');
    expect(o.lineItems[0]!.name).toBe('Earl Grey & Lavender Tea (250g)');
    expect(o.shipping.method).toBe('Local pickup');
    expect(o.paymentMethod).toBe('Cheque payment');
    expect(o.totals).toEqual({ subtotal: 1800, discount: 0, shipping: 0, fees: 0, tax: 360, total: 2160, refunded: 0 });
  });

  it('EUR order on a USD store: amounts stay in EUR, presentment flags the buyer currency', () => {
    const o = mapWooOrder(wooFixture('order-eur-on-usd-store.json'), SHOP, { storeCurrency: 'usd' });
    expect(o.currency).toBe('EUR');
    expect(o.presentment).toEqual({ currency: 'EUR', total: 5914 });
    expect(o.totals).toEqual({ subtotal: 3980, discount: 0, shipping: 990, fees: 0, tax: 944, total: 5914, refunded: 0 });
    expect(o.status).toBe('completed');
    expect(o.fulfillmentStatus).toBe('fulfilled');
    expect(o.completedAt).toBe('2025-08-13T14:22:10.000Z');
    expect(o.customer?.firstName).toBe('Jürgen');
    expect(o.billingAddress?.address1).toBe('Königstraße 5');
    expect(o.lineItems[0]!.name).toBe('Schäferhund-Poster „Groß“');
    expect(o.attributes.wpml_language).toBe('de');
    expect(JSON.parse(o.attributes.wmc_order_info!)).toEqual({ USD: { rate: '1', decimals: '2' }, EUR: { rate: '0.92', decimals: '2' } });
    expect(mapWooOrder(wooFixture('order-eur-on-usd-store.json'), SHOP).presentment).toBeNull();
  });

  it('JPY has no minor digits; tax-inclusive yen amounts are exact', () => {
    const o = mapWooOrder(wooFixture('order-jpy.json'), 'shop.example.jp');
    expect(o.totals).toEqual({ subtotal: 4150, discount: 0, shipping: 880, fees: 0, tax: 457, total: 5030, refunded: 0 });
    expect(o.lineItems.map((l) => [l.unitPrice, l.subtotal])).toEqual([[1200, 3600], [550, 550]]);
    expect(o.customer).toMatchObject({ id: null, firstName: '太郎', lastName: '山田' });
    expect(o.billingAddress?.provinceCode).toBe('JP13');
    expect(o.paymentMethod).toBe('代金引換');
    expect(o.createdAt).toBe('2025-12-24T23:59:59.000Z');
  });

  it('percent coupon whose rounded lines miss discount_total by a cent: line discounts still sum to it', () => {
    const o = mapWooOrder(wooFixture('order-percent-coupon-rounding.json'), SHOP);
    expect(o.totals.discount).toBe(448);
    expect(o.lineItems.map((l) => l.discount)).toEqual([150, 149, 149]);
    expect(o.lineItems.map((l) => l.total)).toEqual([846, 847, 847]);
  });
});

describe('mapWooOrder: line names', () => {
  const variations = () => structuredClone(asRecord(wooFixture('order-variations-shipping-vat.json')));
  const names = (p: unknown) => mapWooOrder(p, SHOP).lineItems.map((l) => [l.name, l.variantName]);

  it('keeps the product name and the variant apart, as Shopify\'s title and variant_title are', () => {
    expect(names(variations())).toEqual([
      ['Oud Perfume', '50ml'],
      ['Linen Scarf', 'Desert Sand / Large'],
      ['Gift Card', null],
    ]);
  });

  it('without parent_name (older WooCommerce), cuts the variation title\'s trailing values, and only those', () => {
    const p = variations();
    const lines = p.line_items as Record<string, unknown>[];
    for (const l of lines) delete l.parent_name;
    lines.push({ ...lines[0], id: 3304, name: 'Eau de Parfum - Amber - 50ml' }); // a dash in the product's own name
    lines.push({ ...lines[0], id: 3305, name: 'Oud Perfume Gift Set' }); // three or more attributes: WooCommerce leaves them out
    expect(names(p)).toEqual([
      ['Oud Perfume', '50ml'],
      ['Linen Scarf', 'Desert Sand / Large'],
      ['Gift Card', null],
      ['Eau de Parfum - Amber', '50ml'],
      ['Oud Perfume Gift Set', '50ml'],
    ]);
  });
});

describe('mapWooOrder: totals invariant', () => {
  const singles = [
    'order-v3-docs-sample.json', 'order-tax-inclusive-eur.json', 'order-fees-coupon-partial-refund.json',
    'order-refunded-full.json', 'order-guest-no-email.json', 'order-eur-on-usd-store.json', 'order-jpy.json',
    'order-percent-coupon-rounding.json', 'order-variations-shipping-vat.json',
  ];
  const all = [
    ...singles.map((f) => [f, wooFixture(f)] as const),
    ...(wooFixture('orders-every-status.json') as unknown[]).map((o) => [`status ${asRecord(o).status}`, o] as const),
  ];
  it.each(all)('%s: holds to the minor unit and passes the zod schema', (_name, payload) => {
    const order = mapWooOrder(payload, SHOP);
    expect(totalsDiscrepancy(order)).toBe(0);
    expect(order.totals.discount).toBe(order.lineItems.reduce((s, l) => s + l.discount, 0));
    for (const l of order.lineItems) expect(l.total).toBe(l.subtotal - l.discount);
    expect(Order.parse(order)).toEqual(order);
  });

  it('a total changed without a line (gift-card plugin) becomes a negative fee, invariant intact', () => {
    const p = structuredClone(asRecord(wooFixture('order-v3-docs-sample.json')));
    p.total = '4.35'; // 25.00 paid with a gift card the REST lines do not show
    const o = mapWooOrder(p, SHOP);
    expect(o.totals.fees).toBe(-2500);
    expect(totalsDiscrepancy(o)).toBe(0);
  });

  it('a one-cent rounding residual with no discount lands on the biggest line', () => {
    const p = structuredClone(asRecord(wooFixture('order-v3-docs-sample.json')));
    p.total = '29.36';
    const o = mapWooOrder(p, SHOP);
    expect(o.lineItems.map((l) => l.subtotal)).toEqual([600, 1201]);
    expect(o.totals.fees).toBe(0);
    expect(totalsDiscrepancy(o)).toBe(0);
  });
});

describe('mapWooOrder: unreadable payloads', () => {
  const base = () => structuredClone(asRecord(wooFixture('order-v3-docs-sample.json')));
  it.each([
    ['no id', (p: Record<string, unknown>) => { delete p.id; }, 'id'],
    ['money not a number', (p: Record<string, unknown>) => { p.total = 'twelve'; }, 'total'],
    ['line money not a number', (p: Record<string, unknown>) => { (p.line_items as Record<string, unknown>[])[1]!.total_tax = '1,35'; }, 'line_items.1.total_tax'],
    ['bad created date', (p: Record<string, unknown>) => { p.date_created_gmt = 'yesterday'; }, 'date_created_gmt'],
    ['paid date beyond year 9999', (p: Record<string, unknown>) => { p.date_paid_gmt = '+010000-01-01T00:00:00'; }, 'date_paid_gmt'],
    ['bad completed date', (p: Record<string, unknown>) => { p.date_completed_gmt = 'soon'; }, 'date_completed_gmt'],
    ['no currency', (p: Record<string, unknown>) => { p.currency = ''; }, 'currency'],
    ['quantity not a number', (p: Record<string, unknown>) => { (p.line_items as Record<string, unknown>[])[0]!.quantity = 'two'; }, 'line_items.0.quantity'],
  ])('%s → WooMappingError naming %s', (_what, mutate, field) => {
    const p = base();
    mutate(p);
    let caught: unknown;
    try { mapWooOrder(p, SHOP); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(WooMappingError);
    expect((caught as WooMappingError).field).toBe(field);
    expect((caught as Error).message).toContain(field);
  });
  it('not an object at all', () => {
    expect(() => mapWooOrder('webhook_id=3', SHOP)).toThrow(WooMappingError);
  });
});

describe('mapWooOrder: ids', () => {
  it('reads digit-string ids with leading zeros as the same id: one order key, one product', () => {
    const plain = mapWooOrder(wooFixture('order-v3-docs-sample.json'), SHOP);
    const padded = structuredClone(asRecord(wooFixture('order-v3-docs-sample.json')));
    padded.id = `000${String(padded.id)}`;
    const line = (padded.line_items as Record<string, unknown>[])[0]!;
    line.product_id = `0${String(line.product_id)}`;
    const o = mapWooOrder(padded, SHOP);
    expect(o.key).toBe(plain.key);
    expect(o.lineItems[0]!.productId).toBe(plain.lineItems[0]!.productId);
  });
});
