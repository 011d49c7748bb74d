// The directory of shops, for listings that span them (GET /api/shops, the cron): one object, a table of each shop's
// public view as its own object last announced it. Only the directory object creates or reads this table.
import { z } from 'zod';
import { Limit, readInput } from '../app/admin/query.ts';

const ShopPage = z.object({ limit: Limit, after: z.string().optional() });

function table(storage: DurableObjectStorage): SqlStorage {
  storage.sql.exec('CREATE TABLE IF NOT EXISTS shop_directory (id TEXT PRIMARY KEY, object TEXT NOT NULL, view TEXT NOT NULL)');
  return storage.sql;
}

/** What one shop's object holds now replaces what it announced before (a removed shop leaves the list). */
export function announceShops(storage: DurableObjectStorage, object: string, views: Array<{ id: string }>): void {
  const sql = table(storage);
  storage.transactionSync(() => {
    sql.exec('DELETE FROM shop_directory WHERE object = ?', object);
    for (const view of views) sql.exec('INSERT OR REPLACE INTO shop_directory (id, object, view) VALUES (?, ?, ?)', view.id, object, JSON.stringify(view));
  });
}

/** GET /api/shops as the Node runtime answers it: shops by id, `after` the last id of the page before. */
export function directoryPage(storage: DurableObjectStorage, url: URL): Response {
  const query = readInput(ShopPage, Object.fromEntries(url.searchParams));
  if (!query.ok) return Response.json({ error: 'invalid_query', message: query.message }, { status: 400 });
  const { limit, after = '' } = query.value;
  const rows = table(storage).exec('SELECT id, view FROM shop_directory WHERE id > ? ORDER BY id LIMIT ?', after, limit).toArray();
  return Response.json({
    items: rows.map((r) => JSON.parse(String(r.view)) as unknown),
    nextAfter: rows.length === limit ? String(rows.at(-1)!.id) : null,
  });
}

/** Every object holding a shop, a page at a time (the cron visits each). */
export function* shopObjects(storage: DurableObjectStorage, pageSize = 500): Generator<string> {
  let after = '';
  for (;;) {
    const page = table(storage).exec('SELECT DISTINCT object FROM shop_directory WHERE object > ? ORDER BY object LIMIT ?', after, pageSize).toArray();
    for (const row of page) yield String(row.object);
    if (page.length < pageSize) return;
    after = String(page.at(-1)!.object);
  }
}
