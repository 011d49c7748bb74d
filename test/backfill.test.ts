// Backfill over a real SQLite file: every missed order queued once, as history, in slices past the first.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, orderChange, SHOP, storeOrder, type Harness } from './stores/harness.ts';

let h: Harness;
afterEach(() => h?.close());

describe('Backfill.queue', () => {
  it('queues each order received before the destination, past several slices, as history marked first seen', async () => {
    h = await createHarness();
    const ids = Array.from({ length: 1_205 }, (_, i) => String(90_000 + i));
    h.apply(ids.map((id) => orderChange(storeOrder(id, 1), ['order.created'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const destination = await h.addDestination('engage', { baseUrl: 'http://127.0.0.1:9', maxOrderAgeDays: 0 }, 'token');
    expect(await h.storage.backfill.queue(destination, SHOP)).toBe(1_205);
    const rows = h.database.sqlite.prepare('SELECT order_key AS orderKey, origin, first_seen AS firstSeen, events FROM outbox WHERE destination_id = ?')
      .all(destination) as Array<{ orderKey: string; origin: string; firstSeen: number; events: string }>;
    expect(new Set(rows.map((r) => r.orderKey)).size).toBe(1_205);
    expect(rows.every((r) => r.origin === 'resync' && r.firstSeen === 1 && r.events === '[]')).toBe(true);
    // Again: each waiting row takes it (one row an order, not two).
    expect(await h.storage.backfill.queue(destination, SHOP)).toBe(1_205);
    expect(h.storage.outbox.countUpTo(10_000, destination)).toBe(1_205);
    // Another shop's orders are never the destination's, whichever shop the call names; a destination that is not there has none.
    h.storage.shops.ensure('shopify', 'other-shop.myshopify.com');
    expect(await h.storage.backfill.queue(destination, 'shopify:other-shop.myshopify.com')).toBe(0);
    expect(await h.storage.backfill.queue(`${SHOP}:nothing`, SHOP)).toBe(0);
  });

  it('takes an order received within a second after the destination too (another process may have seen it late)', async () => {
    h = await createHarness();
    const destination = await h.addDestination('engage', { baseUrl: 'http://127.0.0.1:9', maxOrderAgeDays: 0 }, 'token');
    h.apply([orderChange(storeOrder('91000', 1), ['order.created'])]);
    // As if the process that took it had not yet seen the destination: nothing queued for it.
    h.database.sqlite.prepare('DELETE FROM outbox WHERE destination_id = ?').run(destination);
    expect(await h.storage.backfill.queue(destination, SHOP)).toBe(1);
  });
});
