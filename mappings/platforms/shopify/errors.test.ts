import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../../src/core/canonical/index.ts';
import { mapShopifyCheckout, mapShopifyOrder, readShopifyDeletedOrderId, ShopifyMappingError } from './index.ts';
import { fixture, fixtureObject, fixtureText, FIXTURES } from './testFixtures.ts';

const SHOP = 'jsmith.myshopify.com';

function errorOf(run: () => unknown): ShopifyMappingError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ShopifyMappingError);
    return err as ShopifyMappingError;
  }
  throw new Error('expected a ShopifyMappingError');
}

describe('unreadable payloads', () => {
  it('names a line price that is not money', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.line_items[2].price = 'n/a';
    const err = errorOf(() => mapShopifyOrder(payload, SHOP));
    expect(err.field).toBe('line_items[2].price');
    expect(err.message).toContain('line_items[2].price: expected a decimal string');
  });

  it('says an amount is too large, not that it is no decimal, when its minor units pass 2^53', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.line_items[2].price = '99999999999999999999.99';
    delete payload.line_items[2].price_set;
    expect(errorOf(() => mapShopifyOrder(payload, SHOP)).message)
      .toContain('line_items[2].price: "99999999999999999999.99" is too large: beyond 2^53 − 1 minor units');
  });

  it('says a quantity beyond 2^53 is too large, not that it is a string', () => {
    const text = JSON.stringify({ ...fixtureObject(FIXTURES.docsSample), line_items: [{ ...fixtureObject(FIXTURES.docsSample).line_items[0], quantity: 424242 }] });
    const payload = parseJsonLossless(text.replace('"quantity":424242', '"quantity":100000000000000000'));
    expect(errorOf(() => mapShopifyOrder(payload, SHOP)).message).toContain('line_items[0].quantity: 100000000000000000 is too large (beyond 2^53 − 1)');
  });

  it('names a *_set amount that is not money', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.line_items[1].discount_allocations[0].amount_set.shop_money.amount = '3,33';
    expect(errorOf(() => mapShopifyOrder(payload, SHOP)).message)
      .toContain('line_items[1].discount_allocations[0].amount_set.shop_money.amount: expected a decimal string');
  });

  it('names a shop amount in the wrong currency', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.total_price_set.shop_money.currency_code = 'EUR';
    expect(errorOf(() => mapShopifyOrder(payload, SHOP)).message)
      .toContain('total_price_set.shop_money.currency_code: EUR is not the order currency USD');
  });

  it.each([
    ['id', (p: any) => { p.id = 'abc'; delete p.admin_graphql_api_id; }, 'id: expected an integer id'],
    ['currency', (p: any) => { p.currency = 'dollars'; }, 'currency: expected an ISO 4217 currency code'],
    ['line_items', (p: any) => { delete p.line_items; }, 'line_items: expected array'],
    ['quantity', (p: any) => { p.line_items[0].quantity = 1.5; }, 'line_items[0].quantity: expected int'],
    ['created_at', (p: any) => { p.created_at = 'yesterday'; }, 'created_at: expected an ISO 8601 date-time'],
    ['total_price', (p: any) => { delete p.total_price; delete p.total_price_set; }, 'total_price: missing'],
    ['refund', (p: any) => { p.refunds[0].transactions[0].amount = null; }, 'refunds[0].transactions[0].amount: expected a decimal string'],
    ['customer', (p: any) => { p.customer = 'bob'; }, 'customer: expected object'],
  ])('%s', (_name, spoil, message) => {
    const payload = fixtureObject(FIXTURES.docsSample);
    spoil(payload);
    expect(errorOf(() => mapShopifyOrder(payload, SHOP)).message).toContain(message);
  });

  it('rejects what is not an object at all', () => {
    expect(errorOf(() => mapShopifyOrder(null, SHOP)).message).toContain('(payload): expected object');
    expect(errorOf(() => mapShopifyCheckout([], SHOP)).field).toBe('(payload)');
  });

  it('names the other issues on the same line, up to five, and counts the rest', () => {
    const err = errorOf(() => mapShopifyOrder({ id: 1 }, SHOP));
    expect(err.field).toBe('created_at');
    expect(err.message).toBe('unreadable Shopify payload: created_at: expected string, received undefined; currency: expected string, received undefined; line_items: expected array, received undefined');
    const many = errorOf(() => mapShopifyOrder({ id: 1, created_at: 1, updated_at: 2, currency: 3, line_items: 4, total_price: [], total_tax: [], total_discounts: [], email: 5 }, SHOP));
    expect(many.message).toMatch(/^unreadable Shopify payload: \w+: [^;]+(; [^;]+){4} \(and 3 more issues\)$/);
  });

  it('is lenient where Shopify omits or nulls fields', () => {
    const payload = fixtureObject(FIXTURES.docsSample);
    for (const key of ['customer', 'billing_address', 'shipping_address', 'fulfillments', 'refunds', 'shipping_lines',
      'discount_codes', 'note_attributes', 'payment_gateway_names', 'tags', 'total_tax_set', 'total_discounts_set', 'updated_at']) {
      payload[key] = null;
    }
    payload.line_items[0].tax_lines = null;
    payload.line_items[0].properties = null;
    payload.line_items[0].product_id = null;
    const order = mapShopifyOrder(payload, SHOP);
    expect(order.updatedAt).toBe(order.createdAt);
    expect(order.lineItems[0]!.productId).toBeNull();
    expect(order.customer?.id).toBeNull(); // guest: the order's email stays
  });
});

describe('orders/delete', () => {
  it('reads the id exactly', () => {
    expect(readShopifyDeletedOrderId(fixture('order-delete.json'))).toBe('820982911946154508');
    expect(readShopifyDeletedOrderId({ id: 450789469, admin_graphql_api_id: 'gid://shopify/Order/450789469' })).toBe('450789469');
  });

  it('reads an id with leading zeros as the same id (one order key, not two)', () => {
    expect(readShopifyDeletedOrderId({ id: '0007' })).toBe('7');
    expect(readShopifyDeletedOrderId({ id: 7, admin_graphql_api_id: 'gid://shopify/Order/000450789469' })).toBe('450789469');
    expect(readShopifyDeletedOrderId({ id: '0' })).toBe('0');
    const payload = fixtureObject(FIXTURES.docsSample);
    payload.admin_graphql_api_id = `gid://shopify/Order/00${payload.id}`;
    expect(mapShopifyOrder(payload, SHOP).key).toBe(mapShopifyOrder(fixtureObject(FIXTURES.docsSample), SHOP).key);
  });

  it('refuses an id JSON.parse rounded', () => {
    expect(errorOf(() => readShopifyDeletedOrderId(JSON.parse(fixtureText('order-delete.json')))).message)
      .toContain('id: 820982911946154500 is beyond 2^53');
  });

  it('names a missing id', () => {
    expect(errorOf(() => readShopifyDeletedOrderId({})).field).toBe('id');
  });
});
