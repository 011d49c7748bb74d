// WAL_RESTART_MB reaches the checkpointer: under steady webhooks the WAL starts over near that size
// instead of growing with everything written, and writes are held for it only past that size.
import { statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/node/config.ts';
import { startNode } from '../src/node/server.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();

async function largestWal(restartMb: string): Promise<{ largest: number; heldRestarts: number }> {
  const path = scratchDb('ob-wal-restart-');
  const node = await startNode(readConfig({ PORT: '0', DATABASE_PATH: path, ENCRYPTION_KEY: 'wal-restart-tests', WAL_RESTART_MB: restartMb }));
  let largest = 0;
  let heldRestarts = 0;
  try {
    node.storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    // ~24 MB of WAL in back-to-back groups of commits, each waiting only for its own sync.
    for (let i = 0; i < 6_000; i += 30) {
      await Promise.all(Array.from({ length: 30 }, (_, j) => node.storage.ingest.submit(
        { id: `shopify:demo-shop.myshopify.com:w${i + j}`, shopId: 'shopify:demo-shop.myshopify.com', topic: 'orders/create', eventId: null },
        { kind: 'order', order: makeOrder(String(10_000 + i + j), { note: 'x'.repeat(2_000) }), events: ['order.created'], origin: 'webhook' },
      )));
      largest = Math.max(largest, statSync(`${path}-wal`).size);
      await nextTurn();
    }
    heldRestarts = node.walRestarts;
  } finally {
    await node.stop();
  }
  return { largest, heldRestarts };
}

describe('WAL_RESTART_MB', () => {
  it('starts the WAL over near the configured size (holding writes only when it passes that size)', async () => {
    const small = await largestWal('1');
    const large = await largestWal('64');
    // A round every 20 ms sees the threshold passed; the WAL may grow a few MB more before the restart.
    expect(small.largest).toBeLessThan(16 * 1024 * 1024);
    expect(small.heldRestarts).toBeGreaterThan(1);
    // ~24 MB written never reaches 64 MB: the WAL may start over by itself in a pause, never by a hold.
    expect(large.heldRestarts).toBe(0);
  }, 60_000);
});
