// What each webhook's commit and each delivery batch ask of the outbox, asked over a real SQLite file holding a large backlog
// for a paused destination (a backfill's or a resync's, waiting): every statement reaches the rows it needs through an index,
// so a webhook costs the same beside half a million queued rows as beside none (bench/commitPath measures it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStorage } from '../src/core/storage.ts';
import { openDatabase } from '../src/node/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-backlog-plans-'));
const database = openDatabase(join(dir, 'state.db'), 'async');
const storage = createStorage(database, { now: () => 1_000 });
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const shop = storage.shops.ensure('shopify', 'held.myshopify.com');
storage.shops.upsertDestination({ id: 'later', shopId: shop.id, kind: 'engage', settings: '{}', secretSealed: null, enabled: false });
const BACKLOG = 20_000;
database.sqlite.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
  INSERT INTO outbox (destination_id, order_key, events, source_updated_at, origin, attempts, next_attempt_at, first_seen, created_at)
  SELECT 'later', '${shop.id}:' || (1000000 + i), '[]', i, 'resync', 0, 1000, 1, 1000 FROM n`).run();

interface Prepared { source: string; reader: boolean; all(...params: unknown[]): unknown[] }

/** The SQL of each statement a class prepared once (its `statements`), drizzle's prepared queries by their query text. */
function statementsOf(owner: object): Array<[string, string]> {
  const statements = (owner as { statements: Record<string, Prepared | { getQuery(): { sql: string } }> }).statements;
  return Object.entries(statements).map(([name, s]) => [name, 'source' in s ? s.source : s.getQuery().sql]);
}

/** EXPLAIN QUERY PLAN's steps, every parameter bound to a placeholder value. */
function planOf(sql: string): string[] {
  const explain = database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
  const positional = (sql.match(/\?/g) ?? []).length;
  const rows = (named.length > 0 ? explain.all(Object.fromEntries(named.map((n) => [n, 'later']))) : explain.all(...Array(positional).fill('later'))) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

/** Statements that read the outbox from one end of a b-tree, the plan each has, and why that reads no backlog. */
const BOUNDED_WALKS: Record<string, RegExp> = {
  oldest: /^SCAN outbox$/, // the first row in id order, then LIMIT 1
  lastId: /^SEARCH outbox$/, // max(id): the last entry of the table's own b-tree
  countAll: /SCAN outbox USING COVERING INDEX/, // a count that stops at its cap (/health)
};

const touchingOutbox = (owner: object) => statementsOf(owner).filter(([, sql]) => /\boutbox\b/.test(sql));

describe('the outbox beside a backlog of a paused destination', () => {
  it('the backlog is there, and no statement of the queue or the writer is left out', () => {
    expect(storage.outbox.countUpTo(BACKLOG + 1)).toBe(BACKLOG);
    expect(touchingOutbox(storage.outbox).map(([name]) => name)).toEqual(expect.arrayContaining(['claim', 'hasDue', 'nextDue', 'deleteMany', 'later']));
    expect(touchingOutbox(storage.writer).map(([name]) => name)).toEqual(expect.arrayContaining(['latestOutbox', 'insertOutbox', 'coalesceOutbox']));
  });

  it.each([...touchingOutbox(storage.outbox), ...touchingOutbox(storage.writer)])('%s reaches its rows through an index', (name, sql) => {
    const plan = planOf(sql);
    const bounded = BOUNDED_WALKS[name];
    if (bounded) return expect(plan.find((s) => /\boutbox\b/.test(s)), name).toMatch(bounded);
    for (const step of plan.filter((s) => /\boutbox\b/.test(s))) {
      expect(step, `${name}: ${plan.join(' | ')}`).toMatch(/^SEARCH \w+ USING (COVERING )?(INDEX \w+|INTEGER PRIMARY KEY) \(/);
    }
    expect(plan.join(' | '), name).not.toMatch(/TEMP B-TREE/);
  });

  it("a claim for the live destination reads none of the paused one's rows", () => {
    const local = storage.shops.destinationsOf(shop.id).find((d) => d.id !== 'later')!;
    expect(storage.outbox.hasDue(local.id, 2_000)).toBe(false);
    expect(storage.outbox.claim(local.id, 2_000, 500)).toEqual([]);
    expect(storage.outbox.nextDueAt([local.id])).toBeNull();
    expect(storage.outbox.hasDue('later', 2_000)).toBe(true);
  });
});
