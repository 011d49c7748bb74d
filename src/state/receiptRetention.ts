import type { Db } from './database.ts';

/**
 * Receipts only need to outlive the platforms' retries (Shopify: 4 hours; WooCommerce: none) to catch
 * duplicates; kept forever they would grow the database by one row per webhook. Oldest first, in slices,
 * so a large backlog never holds the write lock for long.
 */
export function pruneReceipts(db: Db, olderThan: number, slice = 5_000): number {
  const del = db.$client.prepare('DELETE FROM receipts WHERE rowid IN (SELECT rowid FROM receipts WHERE received_at < ? ORDER BY rowid LIMIT ?)');
  let total = 0;
  for (;;) {
    const n = del.run(olderThan, slice).changes;
    total += n;
    if (n < slice) return total;
  }
}
