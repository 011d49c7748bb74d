// The disk full when a batch is settled: the settle transaction rolls back, and the engine must neither end the process (the
// lane's promise rejected unhandled: exit code 1 under `npm run drills -- disk`) nor lose the rows: they wait, and are
// delivered once writes work again. A temporary trigger fails every settle with SQLite's own "database or disk is full".
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { STORES } from '../connectors/registry.ts';
import { systemClock } from '../src/core/clock.ts';
import type { EngineFault } from '../src/core/delivery/deliveryObserver.ts';
import { DeliveryEngine } from '../src/core/delivery/engine.ts';
import { createStoreCatalog } from '../src/core/delivery/storeCatalog.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { createHarness, orderChange, SHOP, SHOP_DOMAIN, type Harness } from './stores/harness.ts';

let h: Harness;
afterEach(() => h.close());

it('keeps the rows of a batch it could not settle, pauses, and delivers them once the disk takes writes again', async () => {
  h = await createHarness();
  h.storage.shops.upsertDestination({ id: `${SHOP}:local`, shopId: SHOP, kind: 'local', settings: '{}', secretSealed: null, enabled: true });
  h.apply(Array.from({ length: 50 }, (_, i) => orderChange(makeOrder(String(40_000 + i), {}, SHOP_DOMAIN), ['order.created'])));
  const full = (on: boolean) => {
    for (const event of ['DELETE', 'UPDATE']) {
      h.database.sqlite.exec(on
        ? `CREATE TEMP TRIGGER disk_full_${event} BEFORE ${event} ON main.outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`
        : `DROP TRIGGER disk_full_${event}`);
    }
  };
  full(true);
  const faults: EngineFault[] = [];
  const engine = new DeliveryEngine({
    sqlite: h.database.sqlite, queue: h.storage.outbox, shops: h.storage.shops, stores: createStoreCatalog(h.database.db, STORES),
    secrets: h.secrets, clock: systemClock, observer: { batchSettled: () => {}, engineFaulted: (f) => faults.push(f) },
    options: { faultPauseMs: 100, faultPauseMaxMs: 400, nudgeDelayMs: 1 },
  });
  engine.start();
  try {
    await sleep(1_000);
    expect(faults.length).toBeGreaterThan(0);
    expect(faults[0]).toMatchObject({ during: 'settle', storage: true, rows: 50 });
    // Paused between attempts (100, 200, 400, 400 ms), not a batch a turn.
    expect(faults.length).toBeLessThanOrEqual(5);
    expect(h.storage.outbox.count()).toBe(50);
    expect(engine.stats.delivered).toBe(0);
    full(false);
    for (let i = 0; i < 50 && h.storage.outbox.count() > 0; i++) await sleep(50);
    expect(h.storage.outbox.count()).toBe(0);
    expect(engine.stats.delivered).toBe(50);
  } finally {
    await engine.stop();
  }
});
