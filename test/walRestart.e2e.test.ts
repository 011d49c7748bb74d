// WAL_RESTART_MB reaches the checkpointer: under steady webhooks the WAL starts over near that size
// instead of growing with everything written.
import { statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/node/config.ts';
import { startNode } from '../src/node/server.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();

async function largestWal(restartMb: string): Promise<number> {
  const path = scratchDb('ob-wal-restart-');
  const node = await startNode(readConfig({ PORT: '0', DATABASE_PATH: path, ENCRYPTION_KEY: 'wal-restart-tests', WAL_RESTART_MB: restartMb }));
  let largest = 0;
  try {
    node.storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    // ~24 MB of WAL in back-to-back commits: no pause long enough for the WAL to start over by itself.
    for (let i = 0; i < 6_000; i += 30) {
      await Promise.all(Array.from({ length: 30 }, (_, j) => node.storage.ingest.submit(
        { id: `shopify:demo-shop.myshopify.com:w${i + j}`, shopId: 'shopify:demo-shop.myshopify.com', topic: 'orders/create', eventId: null },
        { kind: 'order', order: makeOrder(String(10_000 + i + j), { note: 'x'.repeat(2_000) }), events: ['order.created'], origin: 'webhook' },
      )));
      largest = Math.max(largest, statSync(`${path}-wal`).size);
      await nextTurn();
    }
  } finally {
    await node.stop();
  }
  return largest;
}

describe('WAL_RESTART_MB', () => {
  it('starts the WAL over near the configured size; the default lets it grow further', async () => {
    const small = await largestWal('1');
    const large = await largestWal('64');
    // A round every 100 ms sees the threshold passed; the WAL may grow a few MB more before the restart.
    expect(small).toBeLessThan(16 * 1024 * 1024);
    expect(large).toBeGreaterThan(32 * 1024 * 1024);
  }, 60_000);
});
