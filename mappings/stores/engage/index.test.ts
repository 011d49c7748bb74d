import { describe, expect, it } from 'vitest';
import { parseJsonLossless, type Order } from '../../../src/core/canonical/index.ts';
import { canonicalOrder } from './fixtures.ts';
import {
  DEFAULT_ENGAGE_STATUSES, JsonInteger, encodeEngageOrders, engageDate, mapOrderToEngage,
  type EngageMapping, type EngageMappingOptions, type EngageOrder,
} from './index.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const opts = (over: Partial<EngageMappingOptions> = {}): EngageMappingOptions => ({
  events: ['order.updated'], origin: 'webhook', now: NOW, maxOrderAgeDays: 730,
  sendTestOrders: false, statuses: DEFAULT_ENGAGE_STATUSES, ...over,
});

function sent(m: EngageMapping): EngageOrder {
  if (m.kind !== 'send') throw new Error(`expected send, got ${m.kind}: ${m.reason}`);
  return m.order;
}

describe('mapOrderToEngage', () => {
  it('fills every documented field from a USD order', () => {
    const order = canonicalOrder({ shipping: 495, tax: 400 }, { completedAt: '2026-03-02T08:00:00.000Z' });
    expect(sent(mapOrderToEngage(order, opts()))).toEqual({
      order_id: 10021,
      status: 'processing',
      email: 'ada@example.com',
      city: 'New York',
      country: 'US',
      currency: 'USD',
      date_created_gmt: '2026-03-01T10:20:30+00:00',
      date_modified_gmt: '2026-03-01T11:00:00+00:00',
      completion_date_gmt: '2026-03-02T08:00:00+00:00',
      order_value: 48.93, // 34.98 + 5.00 + 4.95 shipping + 4.00 tax
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '+46 123 456 789',
      zip_code: '10800',
      line_items: [
        {
          line_item_product_id: 1002, line_item_price: 17.49, line_item_quantity: 2, line_item_name: 'Product 1',
          line_item_sku: 'SKU-1', line_item_variation_id: 2002, line_item_subtotal: 34.98, line_item_total: 34.98,
          line_item_tax_class: 'standard', line_item_total_tax: 0, line_item_subtotal_tax: 0,
        },
        {
          line_item_product_id: 1003, line_item_price: 5, line_item_quantity: 1, line_item_name: 'Product 2',
          line_item_sku: 'SKU-2', line_item_variation_id: 2003, line_item_subtotal: 5, line_item_total: 5,
          line_item_total_tax: 0, line_item_subtotal_tax: 0,
        },
      ],
    });
  });

  it('writes 0-decimal JPY amounts as whole yen', () => {
    const out = sent(mapOrderToEngage(canonicalOrder({ currency: 'JPY', lines: [[1200, 3]], shipping: 500 }), opts()));
    expect(out.currency).toBe('JPY');
    expect(out.order_value).toBe(4100);
    expect(out.line_items[0]).toMatchObject({ line_item_price: 1200, line_item_subtotal: 3600, line_item_total: 3600 });
  });

  it('writes 3-decimal KWD amounts to the fils', () => {
    const out = sent(mapOrderToEngage(canonicalOrder({ currency: 'KWD', lines: [[12345, 2]], tax: 7 }), opts()));
    expect(out.order_value).toBe(24.697);
    expect(out.line_items[0]).toMatchObject({ line_item_price: 12.345, line_item_subtotal: 24.69 });
    expect(encodeEngageOrders([out])).toContain('"order_value":24.697');
  });

  it('keeps unicode names intact through the encoded body', () => {
    const order = canonicalOrder({}, {
      customer: {
        id: null, email: 'zoe@example.com', phone: null, firstName: 'Zoë', lastName: 'Ñúñez 山田 😀',
        acceptsMarketing: null, locale: null,
      },
    });
    order.lineItems[0]!.name = 'Crème brûlée — 抹茶';
    const body = encodeEngageOrders([sent(mapOrderToEngage(order, opts()))]);
    const back = JSON.parse(body) as EngageOrder;
    expect(back.first_name).toBe('Zoë');
    expect(back.last_name).toBe('Ñúñez 山田 😀');
    expect(back.line_items[0]!.line_item_name).toBe('Crème brûlée — 抹茶');
  });

  it('takes a guest checkout (no customer id) with names from the billing address', () => {
    const order = canonicalOrder({}, {
      customer: { id: null, email: 'guest@example.com', phone: null, firstName: null, lastName: null, acceptsMarketing: null, locale: null },
    });
    const out = sent(mapOrderToEngage(order, opts()));
    expect(out).toMatchObject({ email: 'guest@example.com', first_name: 'Ada', last_name: 'Lovelace' });
    expect(out).not.toHaveProperty('phone');
  });

  it('refuses an order with no customer at all: Engage requires an e-mail', () => {
    const m = mapOrderToEngage(canonicalOrder({}, { customer: null }), opts());
    expect(m).toEqual({ kind: 'reject', reason: 'no e-mail address: Engage requires email' });
  });

  it('falls back to the shipping address and omits absent optional fields', () => {
    const order = canonicalOrder({}, {
      billingAddress: null,
      shippingAddress: {
        firstName: null, lastName: null, company: null, address1: null, address2: null, city: 'Göteborg',
        province: null, provinceCode: null, postalCode: null, country: 'SE', phone: null,
      },
      customer: { id: '1', email: 'a@example.se', phone: null, firstName: null, lastName: null, acceptsMarketing: null, locale: null },
    });
    const out = sent(mapOrderToEngage(order, opts()));
    expect(out).toMatchObject({ city: 'Göteborg', country: 'SE' });
    for (const key of ['first_name', 'last_name', 'phone', 'zip_code', 'completion_date_gmt']) expect(out).not.toHaveProperty(key);
  });

  it('takes the shipping address when billing lacks the country Engage requires', () => {
    const base = canonicalOrder();
    const shipping = { ...base.billingAddress!, city: 'Göteborg', country: 'SE', postalCode: '41101' };
    const order = canonicalOrder({}, { billingAddress: { ...base.billingAddress!, country: null }, shippingAddress: shipping });
    expect(sent(mapOrderToEngage(order, opts()))).toMatchObject({ city: 'Göteborg', country: 'SE', zip_code: '41101' });
  });

  it('sends line_item_subtotal_tax only where it equals the line tax (no discount on the line)', () => {
    const order = canonicalOrder({ lines: [[1000, 1], [2000, 1]], tax: 300 });
    order.lineItems[0] = { ...order.lineItems[0]!, tax: 100 };
    order.lineItems[1] = { ...order.lineItems[1]!, tax: 200, discount: 500, total: 1500 };
    const [plain, discounted] = sent(mapOrderToEngage(order, opts())).line_items;
    expect(plain).toMatchObject({ line_item_total_tax: 1, line_item_subtotal_tax: 1 });
    expect(discounted).toMatchObject({ line_item_total_tax: 2, line_item_total: 15 });
    expect(discounted).not.toHaveProperty('line_item_subtotal_tax');
  });

  it('sends a tax-inclusive order\'s line amounts before tax, as WooCommerce\'s fields are, the tax beside them', () => {
    // 20 % VAT included: 2 × 12.00 = 24.00 of which 4.00 tax; the second line 2.40 off, 3.60 tax in its 21.60.
    const order = canonicalOrder({ lines: [[1200, 2], [1200, 2]] }, { taxesIncluded: true });
    order.lineItems[0] = { ...order.lineItems[0]!, tax: 400 };
    order.lineItems[1] = { ...order.lineItems[1]!, tax: 360, discount: 240, total: 2160 };
    const [plain, discounted] = sent(mapOrderToEngage(order, opts())).line_items;
    expect(plain).toMatchObject({ line_item_price: 10, line_item_subtotal: 20, line_item_total: 20, line_item_total_tax: 4, line_item_subtotal_tax: 4 });
    expect(discounted).toMatchObject({ line_item_price: 10, line_item_subtotal: 20, line_item_total: 18, line_item_total_tax: 3.6 });
    // Tax added on top (the default): the amounts go as they are.
    const exclusive = canonicalOrder({ lines: [[1000, 2]], tax: 400 });
    exclusive.lineItems[0] = { ...exclusive.lineItems[0]!, tax: 400 };
    expect(sent(mapOrderToEngage(exclusive, opts())).line_items[0]).toMatchObject({ line_item_price: 10, line_item_total: 20, line_item_total_tax: 4 });
  });

  it('refuses an order older than its window when live, and leaves it out (done) when it comes as history', () => {
    const old = canonicalOrder({ createdAt: '2023-01-01T00:00:00.000Z' });
    expect(mapOrderToEngage(old, opts())).toMatchObject({ kind: 'reject', reason: expect.stringContaining('last 730 days') });
    expect(mapOrderToEngage(old, opts({ origin: 'resync' }))).toMatchObject({ kind: 'skip', reason: expect.stringContaining('history beyond') });
  });

  it('refuses an order without city or country', () => {
    expect(mapOrderToEngage(canonicalOrder({}, { billingAddress: null }), opts()).kind).toBe('reject');
  });

  it('writes an order id beyond 2^53 as an exact raw JSON integer', () => {
    const out = sent(mapOrderToEngage(canonicalOrder({ id: '820982911946154508' }), opts()));
    expect(out.order_id).toEqual(new JsonInteger('820982911946154508'));
    const body = encodeEngageOrders([out, sent(mapOrderToEngage(canonicalOrder({ id: '7' }), opts()))]);
    expect(body).toContain('"order_id":820982911946154508,');
    expect(body).toContain('"order_id":7,');
    const back = parseJsonLossless(body) as Array<{ order_id: unknown }>;
    expect(back.map((o) => o.order_id)).toEqual(['820982911946154508', 7]);
  });

  it('refuses ids Engage cannot hold as an integer, with the reason', () => {
    for (const id of ['gid://shopify/Order/1', '99999999999999999999', '9223372036854775808']) {
      const m = mapOrderToEngage(canonicalOrder({ id }), opts());
      expect(m.kind).toBe('reject');
      expect(m.kind === 'reject' && m.reason).toContain('not an integer Engage can store');
    }
    expect(sent(mapOrderToEngage(canonicalOrder({ id: '9223372036854775807' }), opts())).order_id)
      .toEqual(new JsonInteger('9223372036854775807'));
  });

  it('maps each canonical status to WooCommerce-style status text', () => {
    const expected: Record<string, string> = {
      placed: 'pending', paid: 'processing', fulfilled: 'completed', completed: 'completed',
      cancelled: 'cancelled', refunded: 'refunded', deleted: 'deleted',
    };
    for (const [status, text] of Object.entries(expected)) {
      expect(sent(mapOrderToEngage(canonicalOrder({ status: status as Order['status'] }), opts())).status).toBe(text);
    }
    const custom = { ...DEFAULT_ENGAGE_STATUSES, deleted: 'trash' };
    expect(sent(mapOrderToEngage(canonicalOrder({ status: 'deleted' }), opts({ statuses: custom }))).status).toBe('trash');
  });

  it('skips what Engage should not hold: abandoned checkouts, test orders, deletions it never saw', () => {
    expect(mapOrderToEngage(canonicalOrder({ status: 'abandoned' }), opts()).kind).toBe('skip');
    expect(mapOrderToEngage(canonicalOrder({}, { test: true }), opts()).kind).toBe('skip');
    expect(mapOrderToEngage(canonicalOrder({}, { test: true }), opts({ sendTestOrders: true })).kind).toBe('send');
    const deleted = canonicalOrder({ status: 'deleted' });
    expect(mapOrderToEngage(deleted, opts({ events: ['order.created', 'order.deleted'] })).kind).toBe('skip');
    expect(mapOrderToEngage(deleted, opts({ events: ['order.deleted'] })).kind).toBe('send');
    // A bare tombstone (deleted before we ever had the order) has nothing to overwrite with.
    const tombstone = canonicalOrder({ status: 'deleted' }, { customer: null, lineItems: [] , totals: { subtotal: 0, discount: 0, shipping: 0, fees: 0, tax: 0, total: 0, refunded: 0 } });
    expect(mapOrderToEngage(tombstone, opts({ events: ['order.deleted'] })).kind).toBe('skip');
  });

  it('refuses orders older than the two-year window unless the window is off', () => {
    const old = canonicalOrder({ createdAt: '2024-05-01T00:00:00.000Z' });
    const m = mapOrderToEngage(old, opts());
    expect(m.kind === 'reject' && m.reason).toContain('last 730 days');
    expect(mapOrderToEngage(old, opts({ maxOrderAgeDays: 0 })).kind).toBe('send');
  });

  it('leaves out lines with no catalogue product and refuses an order with none', () => {
    const order = canonicalOrder({ lines: [[1000, 1], [200, 1]] });
    order.lineItems[1]!.productId = null;
    expect(sent(mapOrderToEngage(order, opts())).line_items.map((l) => l.line_item_product_id)).toEqual([1002]);
    order.lineItems[0]!.productId = null;
    const m = mapOrderToEngage(order, opts());
    expect(m.kind === 'reject' && m.reason).toContain('line_item_product_id');
  });
});

describe('engageDate', () => {
  it('writes the documented YYYY-MM-DDTHH:MM:SS+HH:MM form', () => {
    expect(engageDate('2026-01-02T03:04:05.678Z')).toBe('2026-01-02T03:04:05+00:00');
    expect(engageDate('2026-01-02T03:04:05Z')).toBe('2026-01-02T03:04:05+00:00');
    expect(engageDate('2026-01-02T03:04:05.123456Z')).toBe('2026-01-02T03:04:05+00:00');
    expect(engageDate('2026-01-02T03:04Z')).toBe('2026-01-02T03:04:00+00:00');
  });
});

describe('encodeEngageOrders', () => {
  it('sends one order as an object and several as an array', () => {
    const a = sent(mapOrderToEngage(canonicalOrder({ id: '1' }), opts()));
    const b = sent(mapOrderToEngage(canonicalOrder({ id: '2' }), opts()));
    expect(JSON.parse(encodeEngageOrders([a]))).toMatchObject({ order_id: 1 });
    expect((JSON.parse(encodeEngageOrders([a, b])) as unknown[]).length).toBe(2);
  });

  it('leaves a string that merely looks like the raw-integer marker alone when it is not whole', () => {
    const a = sent(mapOrderToEngage(canonicalOrder({ id: '1' }), opts()));
    a.line_items[0]!.line_item_name = 'x\u0000int:123';
    expect((JSON.parse(encodeEngageOrders([a])) as EngageOrder).line_items[0]!.line_item_name).toBe('x\u0000int:123');
  });
});
