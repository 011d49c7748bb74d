// Which shops a pass queues: credentials needed; `dueOnly` (the Worker's cron, more often than the interval) skips a shop
// passed within it; `installedBefore` (Node's pass at start) skips shops connected since. Over a real SQLite file.
import { describe, expect, it } from 'vitest';
import { withConsole } from '../../../test/support/consoleApp.ts';
import { Reconciler } from './reconciler.ts';

const MINUTE = 60_000;

async function setUp() {
  const c = await withConsole();
  const reconciler = new Reconciler(c.database.sqlite, c.storage.jobs, c.storage.shops, c.clock, { intervalMs: 15 * MINUTE, overlapMs: 5 * MINUTE });
  const connect = (domain: string) => {
    const shop = c.storage.shops.ensure('woocommerce', domain);
    c.storage.shops.update(shop.id, { credentialsSealed: 'v1:sealed' });
    return shop.id;
  };
  /** Runs a pass's jobs to their end, as the runner would. */
  const finish = (ids: number[]) => {
    for (const id of ids) {
      c.storage.jobs.start(id);
      c.storage.jobs.checkpoint(c.storage.jobs.get(id)!, { cursor: null, counts: {}, done: true });
    }
  };
  const shopsOf = (ids: number[]) => ids.map((id) => c.storage.jobs.get(id)!.shopId).sort();
  return { c, reconciler, connect, finish, shopsOf };
}

describe('Reconciler.pass', () => {
  it('queues a pass for each shop it can read; dueOnly skips one passed within the interval', async () => {
    const { c, reconciler, connect, finish, shopsOf } = await setUp();
    const a = connect('a.example');
    c.storage.shops.ensure('woocommerce', 'no-keys.example'); // known from its webhooks only: nothing to read with
    const first = reconciler.pass({ dueOnly: true });
    expect(shopsOf(first)).toEqual([a]);
    finish(first);
    c.advance(5 * MINUTE);
    const b = connect('b.example');
    // Five minutes on: a was passed within the interval, b never.
    const second = reconciler.pass({ dueOnly: true });
    expect(shopsOf(second)).toEqual([b]);
    finish(second);
    c.advance(11 * MINUTE);
    // Sixteen minutes after a's pass (due), eleven after b's (not); without dueOnly both go.
    const third = reconciler.pass({ dueOnly: true });
    expect(shopsOf(third)).toEqual([a]);
    finish(third);
    expect(shopsOf(reconciler.pass())).toEqual([a, b].sort());
  });

  it('installedBefore leaves out shops connected since (a start\'s pass reads the downtime of the shops it had)', async () => {
    const { c, reconciler, connect, shopsOf } = await setUp();
    const old = connect('old.example');
    c.advance(1_000);
    const startedAt = c.clock.now();
    c.advance(500);
    connect('new.example');
    expect(shopsOf(reconciler.pass({ dueOnly: true, installedBefore: startedAt }))).toEqual([old]);
  });
});
