import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIGRATIONS = fileURLToPath(new URL('../../src/core/state/migrations/', import.meta.url));

/** A database as a release before `tag` made it: the committed migrations up to it, through drizzle's migrator. */
export function databaseMigratedBefore(path: string, tag: string): { sqlite: Database.Database; close(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'ob-migrations-'));
  mkdirSync(join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.filter((e) => e.tag < tag);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) copyFileSync(join(MIGRATIONS, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  return { sqlite, close: () => { sqlite.close(); rmSync(folder, { recursive: true, force: true }); } };
}
