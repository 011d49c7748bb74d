// customers/redact finds a customer's orders through indexes (a scan of every order stalled ingest for
// as long as it took: ~0.7 s at 200,000 orders), and matches phones by their digits, guests included.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change, Receipt } from '../pipeline/change.ts';
import { openDatabase } from '../../node/database.ts';
import { unpackOrder } from '../state/packedOrder.ts';
import { createStorage } from '../storage.ts';
import { makeOrder } from '../../../test/support/canonicalOrder.ts';
import { databaseMigratedBefore } from '../../../test/support/migratedBefore.ts';
import { scratchDatabases } from '../../../test/support/scratchDatabases.ts';
import { CUSTOMER_LOOKUP, ORDER_COPIES } from './redactor.ts';

const scratchDb = scratchDatabases();

const SHOP = 'demo-shop.myshopify.com';
const receipt = (id: string, topic: string): Receipt => ({ id: `shopify:${SHOP}:${id}`, shopId: `shopify:${SHOP}`, topic, eventId: null });

function storageWithShop() {
  const database = openDatabase(':memory:');
  const storage = createStorage(database, { now: () => Date.parse('2026-11-23T10:00:00Z') });
  storage.shops.ensure('shopify', SHOP);
  const apply = (id: string, change: Change) => storage.writer.apply(receipt(id, change.kind === 'redact' ? 'customers/redact' : 'orders/create'), change);
  return { database, storage, apply };
}

describe('customer redaction look-ups', () => {
  it('each look-up of a customer\'s orders, and of their queued rows and dead letters, uses an index', () => {
    const { database } = storageWithShop();
    const plan = (sql: string, ...args: string[]) => (database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan(CUSTOMER_LOOKUP, 'shopify:x', 'y')).toContain('USING INDEX orders_customer_contact');
    expect(plan(CUSTOMER_LOOKUP, 'shopify:x', 'y')).not.toMatch(/SCAN orders/);
    expect(plan(ORDER_COPIES.queued, 'd', 'k')).toContain('USING INDEX outbox_order');
    expect(plan(ORDER_COPIES.letters, 'k')).toContain('USING INDEX dead_letters_order');
    database.close();
  });

  it('finds a guest order by its billing phone written another way, and leaves another customer\'s order alone', () => {
    const { database, storage, apply } = storageWithShop();
    const guest = makeOrder('1001', {
      customer: null,
      billingAddress: {
        firstName: 'Zoe', lastName: 'Guest', company: null, address1: 'Main St 1', address2: null, city: 'Louisville',
        province: null, provinceCode: null, postalCode: '40202', country: 'US', phone: '+1 (502) 459-2181',
      },
    });
    const other = makeOrder('1002', { customer: { id: 'c2', email: 'bo@example.com', phone: '+46 70 111 22 33', firstName: 'Bo', lastName: 'Ek', acceptsMarketing: false, locale: null } });
    apply('w1', { kind: 'order', order: guest, events: ['order.created'], origin: 'webhook' });
    apply('w2', { kind: 'order', order: other, events: ['order.created'], origin: 'webhook' });
    const row = (key: string) => {
      const r = database.sqlite.prepare('SELECT canonical, customer_id, customer_email, customer_phone FROM orders WHERE key = ?').get(key) as
        { canonical: Buffer; customer_id: string | null; customer_email: string | null; customer_phone: string | null };
      return { ...r, canonical: unpackOrder(r.canonical) };
    };
    expect(row(guest.key).customer_phone).toBe('15024592181');
    expect(row(other.key)).toMatchObject({ customer_id: 'c2', customer_email: 'bo@example.com', customer_phone: '46701112233' });

    // Copies of the version held elsewhere: a replayed row waiting for a store and a dead letter.
    const destination = storage.shops.enabledDestinationsOf(`shopify:${SHOP}`)[0]!.id;
    database.sqlite.prepare(`INSERT INTO outbox (destination_id, order_key, events, "order", source_updated_at, origin, attempts, next_attempt_at, created_at)
      VALUES (?, ?, '["order.created"]', ?, 0, 'replay', 0, 0, 0)`).run(destination, guest.key, JSON.stringify(guest));
    database.sqlite.prepare(`INSERT INTO dead_letters (destination_id, order_key, events, "order", source_updated_at, origin, attempts, error, created_at)
      VALUES (?, ?, '["order.created"]', ?, 0, 'webhook', 3, 'refused', 0)`).run(destination, guest.key, JSON.stringify(guest));

    // Not named in orders_to_redact: found by the phone's digits alone.
    apply('w3', { kind: 'redact', customer: { id: null, email: null, phone: '+15024592181' }, orderKeys: [] });
    const redacted = row(guest.key);
    expect(redacted.canonical).not.toContain('Zoe');
    expect(redacted.canonical).not.toContain('459-2181');
    expect(redacted.customer_phone).toBeNull();
    const copies = database.sqlite.prepare(`SELECT "order" FROM outbox WHERE order_key = ? AND "order" IS NOT NULL
      UNION ALL SELECT "order" FROM dead_letters WHERE order_key = ?`).pluck().all(guest.key, guest.key) as string[];
    expect(copies).toHaveLength(2);
    for (const copy of copies) expect(copy).not.toContain('459-2181');
    expect(row(other.key)).toMatchObject({ customer_id: 'c2', customer_phone: '46701112233' });
    expect(row(other.key).canonical).toContain('bo@example.com');
    database.close();
  });

  it('the migration fills the phone of orders stored before it, from the customer or else the billing address', () => {
    // A database as 0009 found it: orders stored as JSON text, before the phone column was filled.
    const database = databaseMigratedBefore(scratchDb('ob-redactor-'), '0010_');
    const insert = database.sqlite.prepare(`INSERT INTO orders (key, shop_id, source_updated_at, canonical, received_at)
      VALUES (?, ?, 0, ?, 0)`);
    const withCustomer = makeOrder('2001');
    const billingOnly = makeOrder('2002', {
      customer: null,
      billingAddress: {
        firstName: 'A', lastName: 'B', company: null, address1: null, address2: null, city: null,
        province: null, provinceCode: null, postalCode: null, country: 'SE', phone: '070-123 45 67',
      },
    });
    for (const order of [withCustomer, billingOnly]) insert.run(order.key, `shopify:${SHOP}`, JSON.stringify(order));
    const migration = readFileSync(join(import.meta.dirname, '../state/migrations/0009_orders_customer_lookups.sql'), 'utf8');
    database.sqlite.exec(migration.split('--> statement-breakpoint').at(-1)!);
    const phones = database.sqlite.prepare('SELECT key, customer_phone FROM orders ORDER BY key').all();
    expect(phones).toEqual([
      { key: withCustomer.key, customer_phone: '46700000000' },
      { key: billingOnly.key, customer_phone: '0701234567' },
    ]);
    database.close();
  });
});
