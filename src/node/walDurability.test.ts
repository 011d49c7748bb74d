// The WAL under steady writes while the worker checkpoints: bounded once the checkpointer may hold
// writes for its final round, and every commit acknowledged through WalDurability is in the database
// file after a checkpoint.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../state/database.ts';
import { startCheckpointer, WalDurability } from './walDurability.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes ~24 MB in small commits (each made durable before the next), the checkpointer running; returns the largest WAL seen. */
async function steadyWrites(gated: boolean): Promise<{ largestWal: number; rows: number; path: string; restarts: number; longestWrite: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ob-wal-'));
  dirs.push(dir);
  const path = join(dir, 'wal.db');
  const database = openDatabase(path, 'async');
  database.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const wal = new WalDurability(`${path}-wal`);
  const checkpointer = startCheckpointer(path, { everyMs: 20, restartAfterFrames: 256, ...(gated ? { gate: database.writes } : {}) });
  const insert = database.sqlite.prepare('INSERT INTO t (body) VALUES (?)');
  const commit = database.sqlite.transaction((n: number) => { for (let i = 0; i < n; i++) insert.run('x'.repeat(2_000)); });
  let largestWal = 0;
  const until = 12_000;
  let longestWrite = 0;
  for (let rows = 0; rows < until; rows += 20) {
    const held = database.writes.held;
    if (held) await held;
    const started = performance.now();
    commit(20);
    longestWrite = Math.max(longestWrite, performance.now() - started);
    await wal.flush();
    largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    await tick();
  }
  const { restarts } = checkpointer;
  await checkpointer.stop();
  wal.close();
  database.close();
  return { largestWal, rows: until, path, restarts, longestWrite };
}

describe('WAL checkpointing under steady writes', () => {
  it('keeps the WAL bounded when writes wait at the gate for the final round', async () => {
    const bounded = await steadyWrites(true);
    // ~24 MB were written; a restarted WAL stays a small multiple of the 256-frame threshold (1 MiB).
    expect(bounded.largestWal).toBeLessThan(8 * 1024 * 1024);
    expect(bounded.restarts).toBeGreaterThan(0);
    // The worker checkpoints PASSIVE only: a commit never waits out a busy timeout on its lock.
    expect(bounded.longestWrite).toBeLessThan(1_000);
    const db = new Database(bounded.path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: bounded.rows });
    db.close();
  });

  it('without the gate the WAL grows with everything written (why the gate exists)', async () => {
    const unbounded = await steadyWrites(false);
    expect(unbounded.largestWal).toBeGreaterThan(16 * 1024 * 1024);
    expect(unbounded.restarts).toBe(0);
  });
});

describe('WAL syncs', () => {
  it('starts a sync for a commit made while another runs, and answers both once on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-wal-'));
    dirs.push(dir);
    const path = join(dir, 'sync.db');
    const database = openDatabase(path, 'async');
    database.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = database.sqlite.prepare('INSERT INTO t (body) VALUES (?)');
    for (const [maxInFlight, expected] of [[3, 2], [1, 1]] as const) {
      const wal = new WalDurability(`${path}-wal`, maxInFlight);
      insert.run('first');
      const first = wal.flush();
      insert.run('second');
      const second = wal.flush();
      // Overlapping: the second commit does not wait for the first sync to end before its own begins.
      expect(wal.inFlight).toBe(expected);
      await Promise.all([first, second]);
      expect(wal.inFlight).toBe(0);
      wal.close();
    }
    database.close();
  });
});
