// A backlog drains batch after batch: a lane that finished a full batch claims the next at once, and
// only a partial batch (live traffic) waits the nudge delay so webhooks can gather into one batch; a short batch opens no second lane.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { STORES } from '../connectors/registry.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { createHarness, orderChange, SHOP, SHOP_DOMAIN, type Harness } from './stores/harness.ts';

describe('delivery engine and a backlog (real SQLite file, embedded local store)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('claims the next full batch at once, not after the nudge delay', async () => {
    h = await createHarness();
    h.storage.shops.upsertDestination({ id: `${SHOP}:local`, shopId: SHOP, kind: 'local', settings: '{}', secretSealed: null, enabled: true });
    h.apply(Array.from({ length: 1_500 }, (_, i) => orderChange(makeOrder(String(10_000 + i), {}, SHOP_DOMAIN), ['order.created'])));
    const engine = new DeliveryEngine({
      sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: createStoreCatalog(h.database.db, STORES),
      secrets: h.secrets, clock: systemClock,
      // One lane, the local store's batch of 500: three batches. The first waits the nudge delay after start.
      options: { lanesPerDestination: 1, nudgeDelayMs: 2_000, pollMs: 60_000 },
    });
    engine.start();
    try {
      await sleep(3_500);
      // Waiting the nudge delay between batches would have delivered one batch by now (the next at ~4 s).
      expect(h.storage.outbox.count()).toBe(0);
      expect(engine.stats).toMatchObject({ delivered: 1_500, batches: 3 });
    } finally {
      await engine.stop();
    }
  });

  it('opens a second lane only behind a full batch: a short one took every due row', async () => {
    h = await createHarness();
    h.storage.shops.upsertDestination({ id: `${SHOP}:local`, shopId: SHOP, kind: 'local', settings: '{}', secretSealed: null, enabled: true });
    const claims: number[] = [];
    const claim = h.storage.outbox.claim.bind(h.storage.outbox);
    h.storage.outbox.claim = (destinationId, now, limit) => {
      const rows = claim(destinationId, now, limit);
      claims.push(rows.length);
      return rows;
    };
    const engine = new DeliveryEngine({
      sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: createStoreCatalog(h.database.db, STORES),
      secrets: h.secrets, clock: systemClock, options: { lanesPerDestination: 2 },
    });
    h.apply(Array.from({ length: 700 }, (_, i) => orderChange(makeOrder(String(20_000 + i), {}, SHOP_DOMAIN), ['order.created'])));
    await engine.drain();
    // 700 rows, batches of 500: the full one opens the second lane (200).
    expect(claims).toEqual([500, 200]);
    claims.length = 0;
    h.apply(Array.from({ length: 300 }, (_, i) => orderChange(makeOrder(String(30_000 + i), {}, SHOP_DOMAIN), ['order.created'])));
    await engine.drain();
    // A short batch took every due row: no second lane claims nothing (a claim costs a query each time).
    expect(claims).toEqual([300]);
    expect(h.storage.outbox.count()).toBe(0);
  });
});
