// A group commit writes its WAL frames and nothing else: each webhook's savepoint keeps its journal in memory. Spilled to a
// temp file (SQLite's default once a savepoint's journal passes 64 KB), the commit measured here wrote 3.4 MB beside its
// 240 KB of WAL, on the event loop.
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portable, translateShopify } from '../src/app/webhooks/shopify/translation.ts';
import { createStorage } from '../src/core/storage.ts';
import { openDatabase } from '../src/node/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-group-commit-'));
const path = join(dir, 'state.db');
const database = openDatabase(path, 'async');
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const SHOP = 'journal.myshopify.com';
/** Group commits of 50 before the one measured. */
const GROWN = 40;
const sample = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/shopify/order-docs-sample.json'), 'utf8')) as Record<string, unknown>;

/** Bytes this thread has handed to write(2): SQLite writes the WAL (and any spilled journal) on the calling thread. */
const writtenByThisThread = () => Number(/wchar: (\d+)/.exec(readFileSync('/proc/thread-self/io', 'utf8'))![1]);

describe('a group commit of many webhooks', () => {
  it('writes no more than its WAL frames', async () => {
    const storage = createStorage(database, { now: () => Date.parse('2026-01-01T00:00:00Z') });
    storage.shops.ensure('shopify', SHOP);
    let n = 0;
    const submit = () => {
      const id = 6_500_000_000_000 + n++;
      const body = JSON.stringify({ ...sample, id, admin_graphql_api_id: `gid://shopify/Order/${id}` });
      const translation = portable(translateShopify({ topic: 'orders/create', body, shop: SHOP, triggeredAt: 0 }));
      if (!translation || !('change' in translation)) throw new Error('the sample order did not translate');
      return storage.ingest.submit({ id: `shopify:${SHOP}:w-${id}`, shopId: `shopify:${SHOP}`, topic: 'orders/create', eventId: `e-${id}` }, translation.change);
    };
    // Trees a few levels deep first: a webhook's savepoint then changes more pages (splits reach siblings and parents).
    for (let commit = 0; commit < GROWN; commit++) {
      for (let i = 0; i < 50; i++) void submit();
      storage.ingest.flush();
    }
    const answers = Array.from({ length: 60 }, submit);
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const written = writtenByThisThread();
    storage.ingest.flush(); // the 60 in one transaction, a savepoint each
    const wrote = writtenByThisThread() - written;
    const walBytes = statSync(`${path}-wal`).size;
    const results = await Promise.all(answers);

    expect(results.map((r) => r.outcome)).toEqual(Array(60).fill('accepted'));
    expect(new Set(results.map((r) => r.orderKey)).size).toBe(60);
    expect(walBytes).toBeGreaterThan(60 * 1024);
    // The WAL's frames and header; a spilled savepoint journal wrote 14 times as much again.
    expect(wrote).toBeLessThanOrEqual(walBytes);
    expect(database.sqlite.pragma('temp_store', { simple: true })).toBe(2);
  });
});
