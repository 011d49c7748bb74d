// A backfill job survives kill -9: orderbridge started again resumes it from its last committed step, each step's
// rows and checkpoint having been committed together, and queues nothing twice.
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { databaseWithHeldOrders, HELD_SHOP } from './support/heldOrders.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';
import { eventually } from './support/shopifySender.ts';

const scratchDb = scratchDatabases();
const TOKEN = 'jobs-token';

const api = async (ob: OrderbridgeProcess, method: string, path: string) => {
  const res = await fetch(`${ob.url}/api${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
};

/** The job and the rows queued for its destination, as the database file holds them (read beside or after the server). */
function onDisk(path: string, destination: string) {
  const db = new Database(path, { readonly: true });
  try {
    const job = db.prepare('SELECT state, cursor, steps, queued FROM jobs WHERE id = 1').get() as { state: string; cursor: string; steps: number; queued: number };
    const rows = db.prepare('SELECT count(*) FROM outbox WHERE destination_id = ?').pluck().get(destination) as number;
    return { job, rows };
  } finally {
    db.close();
  }
}

it('resumes a backfill killed mid-way from its last committed step, queueing nothing twice', { timeout: 120_000 }, async () => {
  const path = scratchDb('ob-jobs-e2e-');
  const { destination, missed } = databaseWithHeldOrders(path, 40_000);
  const first = await startOrderbridge({ ADMIN_TOKEN: TOKEN }, path);
  const answer = await api(first, 'POST', `/shops/${encodeURIComponent(HELD_SHOP)}/destinations/t3/backfill`);
  expect(answer.status).toBe(202);
  await eventually(async () => ((await api(first, 'GET', '/jobs/1')).json.counts.steps >= 5 ? true : undefined), 20_000, 'five steps');
  await first.kill();

  const crashed = onDisk(path, destination);
  expect(crashed.job.state).toBe('running');
  expect(crashed.job.queued).toBeLessThan(missed);
  // Rows and checkpoint committed together: exactly what the job counted is queued.
  expect(crashed.rows).toBe(crashed.job.queued);
  // As if the store had them by now: a step taken again would queue its orders once more.
  const db = new Database(path);
  db.prepare('DELETE FROM outbox').run();
  db.close();

  const second = await startOrderbridge({ ADMIN_TOKEN: TOKEN }, path);
  try {
    const done = await eventually(async () => {
      const { json } = await api(second, 'GET', '/jobs/1');
      return json.state === 'done' ? json : undefined;
    }, 60_000, 'the resumed job done');
    expect(done.counts).toMatchObject({ queued: missed, skipped: 10 });
    const after = onDisk(path, destination);
    expect(after.rows).toBe(missed - crashed.job.queued);
    const db2 = new Database(path, { readonly: true });
    expect(db2.prepare('SELECT count(*) FROM outbox WHERE order_key <= ?').pluck().get(crashed.job.cursor)).toBe(0);
    db2.close();
  } finally {
    await second.stop();
  }
});
