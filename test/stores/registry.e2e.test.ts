// The store test matrix: every store the registry lists (connectors/index.ts) is checked here without a line of
// its own: its manifest reads, its README is there, and an order reaches its simulator through the real engine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningStoreSimulator } from '../../connectors/manifest.ts';
import { PLATFORMS, STORES } from '../../connectors/registry.ts';
import { createHarness, orderChange, storeOrder, type Harness } from './harness.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('the registry', () => {
  it('names each store kind and each platform once, each with its README in the repository', () => {
    const kinds = STORES.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).not.toContain('local'); // the core's own store, never a connector's
    expect(PLATFORMS.map((p) => p.platform).sort()).toEqual(['shopify', 'woocommerce']);
    for (const m of [...STORES, ...PLATFORMS]) expect(existsSync(join(ROOT, m.readme)), m.readme).toBe(true);
  });
});

describe.each(STORES.map((store) => [store.kind, store] as const))('%s, as the registry lists it', (kind, store) => {
  let h: Harness;
  let sim: RunningStoreSimulator;
  beforeEach(async () => {
    h = await createHarness();
    sim = await store.simulator.start({});
  });
  afterEach(async () => {
    await sim.close();
    h.close();
  });

  it('reads the settings its simulator gives, and refuses a setting it does not know', () => {
    expect(store.settingsSchema.safeParse(sim.destination.settings).success).toBe(true);
    expect(store.settingsSchema.safeParse({ ...sim.destination.settings, noSuchSetting: true }).success).toBe(false);
  });

  it('delivers a new order to its simulator through the delivery engine', async () => {
    await h.addDestination(kind, sim.destination.settings, sim.destination.secret);
    expect(h.apply([orderChange(storeOrder('5001', 1), ['order.created'])])[0]!.outcome).toBe('accepted');
    await h.engine({}).drain();
    expect(h.storage.deadLetters.list({ limit: 10 })).toEqual([]);
    expect(h.storage.outbox.count()).toBe(0);
    expect(sim.accepted()).toBe(1);
    sim.reset();
    expect(sim.accepted()).toBe(0);
  });
});
