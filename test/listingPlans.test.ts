// Every admin listing (and a backfill's step) is one index range from its cursor, in the order it pages (no temporary b-tree to sort,
// no scan of a table): a page costs the same at any depth of a million orders, and holds no webhook for long.
import { describe, expect, it } from 'vitest';
import { BACKFILL_SLICE } from '../src/core/delivery/backfill.ts';
import { DEAD_LETTER_LISTINGS } from '../src/core/delivery/deadLetterBook.ts';
import { JOB_LISTINGS } from '../src/core/jobs/jobBook.ts';
import { OUTBOX_LISTINGS } from '../src/core/delivery/outboxQueue.ts';
import { LOCAL_ORDER_LISTINGS } from '../src/core/localStore/localStore.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage, quarantinePage } from '../src/core/storage.ts';

const database = openDatabase(':memory:');
const storage = createStorage(database, { now: () => 0 });

/** EXPLAIN QUERY PLAN's steps, with every named parameter bound to a placeholder value. */
function planOf(sql: string, params: unknown[] = []): string[] {
  const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1], 1]));
  const statement = database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Object.keys(named).length > 0 ? statement.all(named) : statement.all(...params)) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

/** Each table is searched through an index (or its own b-tree by rowid range), and nothing is sorted apart. */
function expectIndexed(name: string, plan: string[]) {
  // A count's subquery is read as it is made (a co-routine): its own steps are what reads the table.
  const steps = plan.filter((step) => !/^(CO-ROUTINE|SCAN \(subquery)/.test(step));
  expect(steps.length, name).toBeGreaterThan(0);
  for (const step of steps) {
    expect(step, `${name}: ${steps.join(' | ')}`).toMatch(/^SEARCH \w+ USING (COVERING )?(INDEX \w+|INTEGER PRIMARY KEY) \(/);
  }
  expect(plan.join(' | '), name).not.toMatch(/TEMP B-TREE/);
}

describe('admin listings', () => {
  it.each(Object.entries(LOCAL_ORDER_LISTINGS))('orders (local store) %s', (name, sql) => {
    expectIndexed(name, planOf(sql, name === 'events' ? ['key'] : []));
  });

  it.each(Object.entries(OUTBOX_LISTINGS).filter(([name]) => !name.startsWith('count')))('outbox %s', (name, sql) => {
    expectIndexed(name, planOf(sql));
  });

  it('outbox counts of one destination read its index, up to the cap', () => {
    expectIndexed('countOfDestination', planOf(OUTBOX_LISTINGS.countOfDestination));
  });

  it.each(Object.entries(DEAD_LETTER_LISTINGS))('dead letters %s', (name, sql) => {
    expectIndexed(name, planOf(sql));
  });

  it.each(Object.entries(JOB_LISTINGS))('jobs %s', (name, sql) => {
    expectIndexed(name, planOf(sql));
  });

  it("a backfill's step: a slice of the shop's orders by key from its cursor", () => {
    expectIndexed('backfill', planOf(BACKFILL_SLICE));
  });

  it('quarantine, newest first from a cursor', () => {
    const { sql, params } = quarantinePage(database.db, 50, 1000).toSQL();
    expectIndexed('quarantine', planOf(sql, params));
  });

  it('shops, by id from a cursor', () => {
    const { sql, params } = storage.shops.pageQuery('shopify:a', 50).toSQL();
    expectIndexed('shops', planOf(sql, params));
  });
});
