// Another process writing to the same database file (the delivering instance beside a receive-only
// one, the CLI) never makes an ingest commit fail: its transactions take the write lock up front and
// wait for it, instead of failing with SQLITE_BUSY when the other commits between their read and write.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';
import { eventually } from './support/shopifySender.ts';

const scratchDb = scratchDatabases();
const SHOP = 'shopify:demo-shop.myshopify.com';

/** A process committing small writes back to back on the file until killed. */
function otherWriter(path: string) {
  const child = spawn(process.execPath, ['-e', `
    const Database = require(${JSON.stringify(require_resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(path)});
    db.pragma('busy_timeout = 5000');
    const write = db.prepare("INSERT INTO quarantine (platform, shop_id, topic, body, error, created_at) VALUES ('shopify', 'other', 't', '{}', 'x', 0)");
    process.stdout.write('ready\\n');
    // Back to back, yielding between commits as a real process does (a loop that never yields starves everyone).
    const next = () => { write.run(); setImmediate(next); };
    next();
    // Never outlives the test: gone when the test process is (its stdin closes), and after a minute anyway.
    process.stdin.on('end', () => process.exit(0)).resume();
    setTimeout(() => process.exit(0), 60_000);
  `], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { ready, stop: () => child.kill('SIGKILL') };
}

function require_resolve(name: string): string {
  return import.meta.resolve(name).replace(/^file:\/\//, '');
}

describe('ingest beside another writing process', () => {
  it('commits every webhook while the other process commits back to back', async () => {
    const path = scratchDb('ob-shared-writers-');
    const database = openDatabase(path, 'async');
    const storage = createStorage(database, systemClock);
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    const other = otherWriter(path);
    await other.ready;
    const theirs = () => database.sqlite.prepare("SELECT count(*) FROM quarantine WHERE shop_id = 'other'").pluck().get() as number;
    try {
      await eventually(async () => (theirs() > 0 ? true : undefined), 10_000, 'the other process writing');
      const before = theirs();
      // 160 groups of five, each its own transaction, with pauses in which the other process gets the lock.
      const submitted: Array<Promise<unknown>> = [];
      for (let g = 0; g < 160; g++) {
        for (let i = g * 5; i < (g + 1) * 5; i++) {
          submitted.push(storage.ingest.submit(
            { id: `${SHOP}:w${i}`, shopId: SHOP, topic: 'orders/create', eventId: null },
            { kind: 'order', order: makeOrder(String(50_000 + i)), events: ['order.created'], origin: 'webhook' },
          ));
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      const results = await Promise.allSettled(submitted);
      const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      expect(failed).toEqual([]);
      expect(database.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(800);
      // And the other process was not shut out: it keeps committing.
      await eventually(async () => (theirs() > before ? true : undefined), 10_000, 'the other process still writing');
    } finally {
      other.stop();
      database.close();
    }
  }, 30_000);
});
