import Database from 'better-sqlite3';

/**
 * The cursor of GET /api/orders a client walking from the first page would hold at each depth (0: none, the first
 * page; 0.999: a full page before the end), among the local store's orders `where` selects.
 */
export function listingCursors(dbPath: string, depths: number[], where: string, params: Record<string, unknown>): Array<string | null> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const total = db.prepare(`SELECT count(*) FROM local_orders WHERE ${where}`).pluck().get(params) as number;
    return depths.map((d) => {
      if (d === 0) return null;
      const row = db.prepare(`SELECT source_updated_at AS at, rowid AS id FROM local_orders WHERE ${where}
        ORDER BY source_updated_at DESC, rowid DESC LIMIT 1 OFFSET ?`).get(params, Math.min(Math.floor(total * d), total - 501)) as { at: number; id: number };
      return `${row.at}:${row.id}`;
    });
  } finally {
    db.close();
  }
}
