import { describe, expect, it } from 'vitest';
import { wooFixture } from '../../../test/fixtures/woocommerce/load.ts';
import { mapWooOrder, WOO_STATUS_TABLE } from './index.ts';

const orders = wooFixture('orders-every-status.json') as unknown[];
const byStatus = new Map(orders.map((o) => [(o as { status: string }).status, o]));

describe('WooCommerce status table', () => {
  it.each([
    // woo status, canonical status, financial, fulfilment
    ['pending', 'placed', 'pending', null],
    ['processing', 'paid', 'paid', null],
    ['on-hold', 'placed', 'pending', null],
    ['completed', 'completed', 'paid', 'fulfilled'],
    ['cancelled', 'cancelled', 'voided', null],
    ['refunded', 'refunded', 'refunded', null],
    ['failed', 'abandoned', 'failed', null],
    ['checkout-draft', 'abandoned', 'pending', null],
    ['trash', 'deleted', 'paid', null],
    ['shipped', 'fulfilled', 'paid', 'fulfilled'],
    ['awaiting-shipment', 'paid', 'paid', null],
    ['wc-delivered', 'completed', 'paid', 'fulfilled'], // "wc-" prefix leaked by a plugin
    ['quote-requested', 'placed', 'pending', null], // unknown custom status, not paid
    ['invoiced', 'paid', 'paid', null], // unknown custom status with date_paid_gmt
  ])('%s → %s (financial %s, fulfilment %s)', (woo, status, financial, fulfilment) => {
    const order = mapWooOrder(byStatus.get(woo), 'shop.example.com');
    expect(order.status).toBe(status);
    expect(order.financialStatus).toBe(financial);
    expect(order.fulfillmentStatus).toBe(fulfilment);
    expect(order.platformStatus).toBe(woo.replace(/^wc-/, ''));
  });

  it('covers every core WooCommerce status', () => {
    for (const s of ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft', 'trash']) {
      expect(WOO_STATUS_TABLE[s]).toBeDefined();
    }
  });

  it('a cancelled order is dated by its last modification', () => {
    const order = mapWooOrder(byStatus.get('cancelled'), 'shop.example.com');
    expect(order.cancelledAt).toBe('2025-02-02T10:00:00.000Z');
    expect(mapWooOrder(byStatus.get('pending'), 'shop.example.com').cancelledAt).toBeNull();
  });
});
