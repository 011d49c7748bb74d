// GET /api/orders pages are read on a thread of their own (src/node/readThread.ts), through a read-only connection:
// the same bytes as read on the event loop, never waiting for the writer, a page costing the event loop only the
// message passing; a thread that cannot start leaves the pages to the event loop, none lost.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineOrderPages } from '../src/app/admin/orderPage.ts';
import type { LocalOrderQuery } from '../src/core/localStore/localStore.ts';
import { createStorage } from '../src/core/storage.ts';
import { jsonLineLogger } from '../src/core/observability/logger.ts';
import { openDatabase } from '../src/node/database.ts';
import { startReadThread, type ReadThread } from '../src/node/readThread.ts';
import { readConfig } from '../src/node/config.ts';
import { startNode } from '../src/node/server.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();
const SHOPS = ['one.myshopify.com', 'two.myshopify.com'];
const ORDERS = 1_200;

/** `count` orders of two shops in the local store, update times a second apart (every third shared). */
function fill(storage: ReturnType<typeof createStorage>, count: number, from = 0): void {
  for (const shop of SHOPS) storage.shops.ensure('shopify', shop);
  storage.database.sqlite.transaction(() => {
    for (let i = from; i < from + count; i++) {
      const order = makeOrder(String(10_000 + i), { updatedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 1000).toISOString(), note: 'n'.repeat(i % 300) }, SHOPS[i % 2]);
      storage.writer.apply(null, { kind: 'order', order, events: ['order.created'], origin: 'webhook' });
    }
  })();
  storage.database.sqlite.exec(`INSERT OR IGNORE INTO local_orders (key, shop_id, source_updated_at, deliveries, delivered_at)
    SELECT key, shop_id, source_updated_at, 1, 0 FROM orders`);
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('the read thread', () => {
  const path = scratchDb('ob-read-thread-');
  const database = openDatabase(path);
  const storage = createStorage(database, { now: () => 1 });
  const inline = inlineOrderPages(storage.local);
  let reads: ReadThread;
  beforeAll(() => {
    fill(storage, ORDERS);
    reads = startReadThread({ databasePath: path, inline });
  });
  afterAll(async () => {
    await reads.close();
    database.close();
  });

  it('reads every page as the event loop would, byte for byte, following nextCursor', async () => {
    const shapes: Array<Omit<LocalOrderQuery, 'limit' | 'cursor'>> = [
      {}, { shopId: `shopify:${SHOPS[1]}` }, { updatedFrom: Date.UTC(2026, 0, 1, 0, 1), updatedTo: Date.UTC(2026, 0, 1, 0, 4) },
    ];
    for (const shape of shapes) {
      let cursor: string | undefined;
      let pages = 0;
      do {
        const query = { ...shape, limit: 97, cursor };
        const apart = text(await reads.readOrderPage(query));
        expect(apart).toBe(text(await inline(query)));
        cursor = (JSON.parse(apart) as { nextCursor: string | null }).nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBeGreaterThan(2);
    }
    expect(reads.served).toBeGreaterThan(6);
  });

  it('reads through its own connection: a page never waits for a write in progress, nor shows it before its commit', async () => {
    database.sqlite.exec('BEGIN IMMEDIATE');
    try {
      fill(storage, 1, ORDERS + 1); // the newest order, not committed yet
      const newest = makeOrder(String(10_000 + ORDERS + 1), {}, SHOPS[1]).key;
      expect(text(await inline({ limit: 1 }))).toContain(newest);
      expect(text(await reads.readOrderPage({ limit: 1 }))).not.toContain(newest);
    } finally {
      database.sqlite.exec('ROLLBACK');
    }
  });

  it("costs the event loop only the message passing: a page's active time there is a fraction of reading it in-line", async () => {
    const query = { limit: 500, shopId: `shopify:${SHOPS[0]}` };
    // Active (not idle) time of this thread's event loop while the page is read and handed back: the reading itself, in-line.
    const activeMs = async (read: () => Promise<Uint8Array>) => {
      const before = performance.eventLoopUtilization();
      await read();
      return performance.eventLoopUtilization(before).active;
    };
    await reads.readOrderPage(query); // warm: the thread's statements prepared, the pages in memory
    await inline(query);
    const median = async (read: () => Promise<Uint8Array>) => {
      const xs: number[] = [];
      for (let i = 0; i < 7; i++) xs.push(await activeMs(read));
      return xs.sort((a, b) => a - b)[3]!;
    };
    const inlineMs = await median(() => inline(query));
    const apartMs = await median(() => reads.readOrderPage(query));
    console.log(`a page of 500 held this event loop ${inlineMs.toFixed(2)} ms in-line, ${apartMs.toFixed(2)} ms read on the thread`);
    expect(apartMs).toBeLessThan(inlineMs / 2);
  });
});

describe('the server', () => {
  it('serves GET /api/orders from the read thread', async () => {
    const path = scratchDb('ob-read-thread-server-');
    const node = await startNode(readConfig({ PORT: '0', DATABASE_PATH: path, ENCRYPTION_KEY: 'read-thread-tests', ADMIN_TOKEN: 'admin', ADMIN_READ_THREAD: 'true' }));
    try {
      fill(node.storage, 300);
      const res = await fetch(`${node.url}/api/orders?limit=250`, { headers: { authorization: 'Bearer admin' } });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toBe(text(await inlineOrderPages(node.storage.local)({ limit: 250 })));
      expect((JSON.parse(body) as { orders: unknown[] }).orders).toHaveLength(250);
      expect(node.pagesReadApart).toBe(1);
    } finally {
      await node.stop();
    }
  }, 30_000);

  it('reads pages on the event loop when the thread cannot start (no page lost)', async () => {
    const path = scratchDb('ob-read-thread-missing-');
    const database = openDatabase(path);
    const storage = createStorage(database, { now: () => 1 });
    fill(storage, 10);
    const errors: string[] = [];
    // A path the read-only connection cannot open (fileMustExist): the thread fails at its start.
    const reads = startReadThread({ databasePath: `${path}.missing`, inline: inlineOrderPages(storage.local), logger: jsonLineLogger({ write: (line) => errors.push(line) }) });
    try {
      const body = JSON.parse(text(await reads.readOrderPage({ limit: 5 }))) as { orders: unknown[] };
      expect(body.orders).toHaveLength(5);
      expect(reads.served).toBe(0);
      expect(errors.some((line) => line.includes('read thread failed'))).toBe(true);
    } finally {
      await reads.close();
      database.close();
    }
  }, 30_000);
});
