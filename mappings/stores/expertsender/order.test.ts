import { describe, expect, it } from 'vitest';
import { jpyGuestOrder, kwdOrder, line, usdOrder } from './fixtures.ts';
import {
  DEFAULT_MAPPING_OPTIONS, compactPhone, findLimitViolations, toExpertSenderOrder,
  type EsAttribute, type ExpertSenderMappingOptions,
} from './index.ts';

const opts = (o: Partial<ExpertSenderMappingOptions> = {}): ExpertSenderMappingOptions => ({ ...DEFAULT_MAPPING_OPTIONS, ...o });
const attr = (list: EsAttribute[] | undefined, name: string) => list?.find((a) => a.name === name)?.value;

describe('toExpertSenderOrder', () => {
  it('maps every documented order field from a USD order', () => {
    const es = toExpertSenderOrder(usdOrder(), opts({ websiteId: 7 }));
    expect(es).toMatchObject({
      id: '820982911946154508', // big Shopify id kept as its exact digits
      date: '2026-03-01T10:10:00.055Z',
      timeZone: 'UTC',
      websiteId: 7,
      status: 'placed',
      currency: 'USD',
      totalValue: 50.53,
      returnsValue: 0,
      customer: { email: 'bob.norman@example.com', phone: '+15550100199', crmId: '207119551' },
    });
    expect(es.products).toHaveLength(2);
    expect(es.products[0]).toMatchObject({
      id: 'prod-11', name: 'Wireless Earbuds', price: 19.99, quantity: 2, returned: 0,
      url: 'https://shop.example/products/earbuds', imageUrl: 'https://shop.example/img/earbuds.jpg', category: 'Electronics',
    });
    const p0 = es.products[0]!.productAttributes;
    expect(attr(p0, 'sku')).toBe('SKU-11');
    expect(attr(p0, 'variant')).toBe('Black');
    expect(attr(p0, 'discount')).toBe('4.00');
    expect(attr(p0, 'lineTotal')).toBe('35.98');
    expect(attr(p0, 'tax')).toBe('2.88');
    expect(attr(p0, 'Color')).toBe('Black');
    expect(es.products[1]).not.toHaveProperty('url');
    expect(attr(es.orderAttributes, 'orderNumber')).toBe('#1001');
    expect(attr(es.orderAttributes, 'discountCodes')).toBe('SPRING10');
    expect(attr(es.orderAttributes, 'shipping')).toBe('5.95');
    expect(attr(es.orderAttributes, 'Gift Wrap')).toBe('Yes');
    expect(attr(es.orderAttributes, 'test')).toBeUndefined();
  });

  it('sends whole yen for JPY and a guest without customer record by billing phone only', () => {
    const es = toExpertSenderOrder(jpyGuestOrder(), opts());
    expect(es.totalValue).toBe(4100);
    expect(es.products[0]).toMatchObject({ price: 1200, quantity: 3, name: '抹茶セット 🍵', category: '日本茶' });
    expect(attr(es.products[0]!.productAttributes, 'lineTotal')).toBe('3600');
    expect(es.customer).toEqual({ phone: '0312345678' });
    expect(es).not.toHaveProperty('websiteId');
  });

  it('counts as returnsValue the refunded lines, not refunded shipping; a refund naming no lines counts whole', () => {
    const order = kwdOrder();
    order.refunds = [
      { ...order.refunds[0]!, amount: 13_350 }, // the line's 12.345 and 1.005 of shipping
      { id: 'r2', createdAt: '2026-03-04T08:00:00.000Z', amount: 2_000, reason: null, lineItems: [] },
    ];
    expect(toExpertSenderOrder(order, opts()).returnsValue).toBe(14.345);
  });

  it('keeps three decimals for KWD, counts returned units and carries the refunded value', () => {
    const es = toExpertSenderOrder(kwdOrder(), opts());
    expect(es.totalValue).toBe(25.695);
    expect(es.returnsValue).toBe(12.345);
    expect(es.status).toBe('completed');
    expect(es.products[0]).toMatchObject({ price: 12.345, quantity: 2, returned: 1, name: 'عطر العود' });
    expect(attr(es.orderAttributes, 'shipping')).toBe('1.005');
    // the JSON on the wire prints the exact decimal
    expect(JSON.stringify(es)).toContain('"totalValue":25.695');
  });

  it('maps canonical statuses onto the four ECDP statuses, with overrides', () => {
    const status = (s: Parameters<typeof usdOrder>[0], o?: Partial<ExpertSenderMappingOptions>) =>
      toExpertSenderOrder(usdOrder(s), opts(o)).status;
    expect(status({ status: 'paid' })).toBe('paid');
    expect(status({ status: 'fulfilled' })).toBe('completed');
    expect(status({ status: 'completed' })).toBe('completed');
    expect(status({ status: 'cancelled' })).toBe('canceled');
    expect(status({ status: 'fulfilled' }, { statusMap: { fulfilled: 'paid' } })).toBe('paid');
  });

  it('chooses the product id by setting and falls back when the chosen id is missing', () => {
    const order = usdOrder({ lineItems: [line({ id: '5', unitPrice: 100, quantity: 1, productId: null, sku: null })], totals: { subtotal: 100, discount: 0, shipping: 0, fees: 0, tax: 0, total: 100, refunded: 0 } });
    expect(toExpertSenderOrder(order, opts({ productId: 'sku' })).products[0]!.id).toBe('var-5');
    expect(toExpertSenderOrder(order, opts({ productId: 'variant' })).products[0]!.id).toBe('var-5');
    expect(toExpertSenderOrder(usdOrder(), opts({ productId: 'sku' })).products[0]!.id).toBe('SKU-11');
  });

  it('prefixes order ids and leaves attributes out when told to', () => {
    const es = toExpertSenderOrder(usdOrder({ test: true }), opts({ orderIdPrefix: 'demo-', sendAttributes: false }));
    expect(es.id).toBe('demo-820982911946154508');
    // shops sharing a business unit share customer ids: crmId takes the order id's prefix unless customerIdPrefix says otherwise
    expect(es.customer.crmId).toBe('demo-207119551');
    expect(toExpertSenderOrder(usdOrder(), opts({ orderIdPrefix: 'demo-', customerIdPrefix: '' })).customer.crmId).toBe('207119551');
    expect(toExpertSenderOrder(usdOrder(), opts({ customerIdPrefix: 'c-' })).customer.crmId).toBe('c-207119551');
    expect(es).not.toHaveProperty('orderAttributes');
    expect(es.products[0]).not.toHaveProperty('productAttributes');
    const withTest = toExpertSenderOrder(usdOrder({ test: true }), opts());
    expect(attr(withTest.orderAttributes, 'test')).toBe('true');
  });

  it('leaves the platform customer id out of crmId when told to (CRM ids from another system)', () => {
    expect(toExpertSenderOrder(usdOrder(), opts()).customer.crmId).toBe('207119551');
    const es = toExpertSenderOrder(usdOrder(), opts({ sendCrmId: false }));
    expect(es.customer).not.toHaveProperty('crmId');
    expect(es.customer.email).toBe('bob.norman@example.com');
  });

  it('compacts phone formatting without dropping digits', () => {
    expect(compactPhone('+48 (22) 123-45.67')).toBe('+48221234567');
  });
});

describe('findLimitViolations', () => {
  it('passes the fixtures', () => {
    for (const o of [usdOrder(), jpyGuestOrder(), kwdOrder()]) expect(findLimitViolations(toExpertSenderOrder(o, opts()))).toEqual([]);
  });

  it('names the field and the limit of every too-long value instead of cutting it', () => {
    const long = (n: number) => 'x'.repeat(n);
    const order = usdOrder({
      customer: { ...usdOrder().customer!, email: `${long(320)}@e.com`, phone: '+1234567890123456789012' },
      lineItems: [line({ id: '1', unitPrice: 100, quantity: 1, name: long(2049), category: long(2048), attributes: { [long(257)]: 'v' } })],
      totals: { subtotal: 100, discount: 0, shipping: 0, fees: 0, tax: 0, total: 100, refunded: 0 },
    });
    const es = toExpertSenderOrder(order, opts());
    expect(es.products[0]!.name).toHaveLength(2049); // the mapping never shortens
    const messages = findLimitViolations(es).map((v) => v.message);
    expect(messages).toContain('customer.email is 326 characters; ExpertSender allows at most 320');
    expect(messages).toContain('customer.phone is 23 characters; ExpertSender allows at most 20');
    expect(messages).toContain('products[0].name is 2049 characters; ExpertSender allows at most 2048');
    expect(messages.some((m) => m.startsWith('products[0].productAttributes[') && m.includes('at most 256'))).toBe(true);
    expect(messages.some((m) => m.startsWith('products[0].category'))).toBe(false); // exactly 2048 fits
  });

  it('counts unicode the way .NET does (UTF-16 code units)', () => {
    const es = toExpertSenderOrder(usdOrder(), opts());
    es.products[0]!.name = '🍵'.repeat(1024); // 2048 code units: fits
    expect(findLimitViolations(es)).toEqual([]);
    es.products[0]!.name += 'a';
    expect(findLimitViolations(es).map((v) => v.field)).toEqual(['products[0].name']);
  });

  it('refuses quantities outside int32', () => {
    const es = toExpertSenderOrder(usdOrder(), opts());
    es.products[0]!.quantity = 2147483648;
    expect(findLimitViolations(es)[0]!.message).toContain('products[0].quantity is 2147483648');
  });
});
