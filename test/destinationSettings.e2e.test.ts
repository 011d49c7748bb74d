// A destination whose stored settings no longer read (edited by hand, or a setting a later version dropped) is
// the destination's problem, not the orders': its rows wait and retry, and deliver once the settings are fixed.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngageSimulator, type RunningEngageSimulator } from '../connectors/stores/engage/simulator/index.ts';
import { createHarness, FAST_BACKOFF, orderChange, SHOP, storeOrder, type Harness } from './stores/harness.ts';

describe('a destination with settings that do not read', () => {
  let h: Harness;
  let sim: RunningEngageSimulator;
  afterEach(async () => {
    h.close();
    await sim.close();
  });

  it('retries its rows (no dead letters) and delivers them once the settings are fixed', async () => {
    sim = await startEngageSimulator({ port: 0 });
    h = await createHarness();
    const id = await h.addDestination('engage', { baseUrl: sim.url, maxOrderAgeDays: 0 }, sim.token);
    const good = h.storage.shops.destination(id)!;
    // As a hand edit would leave it: a key the schema does not know.
    h.storage.shops.upsertDestination({ ...good, settings: JSON.stringify({ baseurl: sim.url }) });
    h.apply([orderChange(storeOrder('5301', 1), ['order.created'])]);
    const engine = h.engine({ options: { backoff: { ...FAST_BACKOFF, maxAttempts: 1_000 } } });
    engine.start();
    try {
      await expect.poll(() => h.storage.outbox.list({ destinationId: id, limit: 5 })[0]?.attempts ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
      const [row] = h.storage.outbox.list({ destinationId: id, limit: 5 });
      expect(row!.lastError).toContain(`destination ${id} has invalid settings`);
      expect(h.storage.deadLetters.list({ limit: 5 })).toEqual([]);

      h.storage.shops.upsertDestination(good);
      await expect.poll(() => h.storage.outbox.list({ destinationId: id, limit: 5 }).length, { timeout: 5_000 }).toBe(0);
      expect(sim.orders.has('5301')).toBe(true);
      expect(h.storage.deadLetters.list({ limit: 5 })).toEqual([]);
    } finally {
      await engine.stop();
    }
  });
});
