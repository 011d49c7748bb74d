import Database from 'better-sqlite3';

export interface DiskUse {
  orders: number;
  /** Database file bytes in use (pages not free, after a checkpoint) per stored order. */
  bytesPerOrder: number;
  /** Average packed canonical order, as `orders` stores it. */
  packedBytes: number;
  /** Bytes per order of each table with its indexes, largest first. */
  tables: Array<[string, number]>;
}

/** What a database file holds per stored order, read after the server stopped: the WAL checkpointed in first. */
export function diskUse(path: string): DiskUse {
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const orders = db.prepare('SELECT count(*) FROM orders').pluck().get() as number;
    const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const packedBytes = db.prepare('SELECT avg(length(canonical)) FROM orders').pluck().get() as number;
    // dbstat names each b-tree; an index counts towards its table.
    const trees = db.prepare(`SELECT coalesce(m.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes FROM dbstat s
      LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY tbl ORDER BY bytes DESC`).all() as Array<{ tbl: string; bytes: number }>;
    return {
      orders, bytesPerOrder: (pages * pageSize) / orders, packedBytes,
      tables: trees.filter((t) => t.bytes / orders >= 1).map((t) => [t.tbl, t.bytes / orders]),
    };
  } finally {
    db.close();
  }
}
