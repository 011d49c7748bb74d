// Backfill jobs over a real SQLite file: every missed order queued once, as history, in steps past the first; a
// step's rows and the job's checkpoint commit together, so a step that fails half-way leaves nothing behind.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.ts';
import { BACKFILL, BACKFILL_STEP } from '../src/core/delivery/backfill.ts';
import { JobRunner, type JobKind } from '../src/core/jobs/jobRunner.ts';
import { jobKinds } from '../src/core/jobs/kinds.ts';
import { createHarness, orderChange, SHOP, storeOrder, type Harness } from './stores/harness.ts';

let h: Harness;
afterEach(() => h?.close());

/** Runs a backfill job to its end, as fast as the runner goes; returns the job as it ended. */
async function backfill(destination: string, shopId = SHOP, kinds: Record<string, JobKind<unknown>> = jobKinds(h.storage)) {
  const { id } = h.storage.jobs.create({ kind: BACKFILL, shopId, destinations: [destination] });
  await new JobRunner({ sqlite: h.database.sqlite, book: h.storage.jobs, kinds, clock: systemClock, options: { minPauseMs: 0, share: 1, retryBaseMs: 1 } }).drain();
  return h.storage.jobs.get(id)!;
}

const queuedFor = (destination: string) => h.database.sqlite.prepare('SELECT order_key AS orderKey, origin, first_seen AS firstSeen, events FROM outbox WHERE destination_id = ?')
  .all(destination) as Array<{ orderKey: string; origin: string; firstSeen: number; events: string }>;

describe('backfill jobs', () => {
  it('queue each order received before the destination, past several steps, as history marked first seen', async () => {
    h = await createHarness();
    const ids = Array.from({ length: 1_205 }, (_, i) => String(90_000 + i));
    h.apply(ids.map((id) => orderChange(storeOrder(id, 1), ['order.created'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const destination = await h.addDestination('engage', { baseUrl: 'http://127.0.0.1:9', maxOrderAgeDays: 0 }, 'token');
    expect(await backfill(destination)).toMatchObject({ state: 'done', steps: Math.ceil(1_205 / BACKFILL_STEP), seen: 1_205, queued: 1_205, skipped: 0, lastError: null });
    const rows = queuedFor(destination);
    expect(new Set(rows.map((r) => r.orderKey)).size).toBe(1_205);
    expect(rows.every((r) => r.origin === 'resync' && r.firstSeen === 1 && r.events === '[]')).toBe(true);
    // Again: each waiting row takes it (one row an order, not two).
    expect(await backfill(destination)).toMatchObject({ state: 'done', queued: 1_205 });
    expect(h.storage.outbox.countUpTo(10_000, destination)).toBe(1_205);
    // Another shop's orders are never the destination's; a destination that is not there has none: the job fails saying so.
    h.storage.shops.ensure('shopify', 'other-shop.myshopify.com');
    expect(await backfill(destination, 'shopify:other-shop.myshopify.com')).toMatchObject({ state: 'failed', queued: 0, lastError: expect.stringMatching(/not one of/) });
    expect(await backfill(`${SHOP}:nothing`)).toMatchObject({ state: 'failed', queued: 0, lastError: expect.stringMatching(/removed/) });
  });

  it('take an order received within a second after the destination too (another process may have seen it late)', async () => {
    h = await createHarness();
    const destination = await h.addDestination('engage', { baseUrl: 'http://127.0.0.1:9', maxOrderAgeDays: 0 }, 'token');
    h.apply([orderChange(storeOrder('91000', 1), ['order.created'])]);
    // As if the process that took it had not yet seen the destination: nothing queued for it.
    h.database.sqlite.prepare('DELETE FROM outbox WHERE destination_id = ?').run(destination);
    expect(await backfill(destination)).toMatchObject({ state: 'done', seen: 1, queued: 1 });
  });

  it('leave nothing of a step that failed half-way, and go on from the step before it', async () => {
    h = await createHarness();
    h.apply(Array.from({ length: 1_100 }, (_, i) => orderChange(storeOrder(String(92_000 + i), 1), ['order.created'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const destination = await h.addDestination('engage', { baseUrl: 'http://127.0.0.1:9', maxOrderAgeDays: 0 }, 'token');
    const real = jobKinds(h.storage)[BACKFILL]!;
    let steps = 0;
    let queuedWhenRetried = -1;
    // The second step queues its slice, then fails before its checkpoint: its rows must go with it.
    const failing: JobKind<unknown> = {
      step(job, page, now) {
        if (steps === 2) queuedWhenRetried = h.storage.outbox.countUpTo(10_000, destination);
        const result = real.step(job, page, now);
        if (++steps === 2) throw new Error('disk full');
        return result;
      },
    };
    const job = await backfill(destination, SHOP, { [BACKFILL]: failing });
    expect(job).toMatchObject({ state: 'done', steps: Math.ceil(1_100 / BACKFILL_STEP), seen: 1_100, queued: 1_100, lastError: null });
    expect(steps).toBe(Math.ceil(1_100 / BACKFILL_STEP) + 1); // the failed step, then the same step again
    expect(queuedWhenRetried).toBe(BACKFILL_STEP); // the first step's rows only: the failed one's were rolled back
    expect(queuedFor(destination)).toHaveLength(1_100);
  });
});
