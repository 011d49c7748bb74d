// The drizzle-kit migrations (./migrations, generated from schema.ts) every runtime applies on start, the same files:
// Node reads the folder (drizzle-orm/better-sqlite3/migrator); a Durable Object bundles the .sql files as text and
// hands them to drizzle-orm/durable-sqlite/migrator as bundledMigrations() shapes them.
import journal from './migrations/meta/_journal.json' with { type: 'json' };

/** The migrations folder, for runtimes that read files (asked for, not computed on import: a Worker's bundle has no file URL). */
export function migrationsFolder(): URL {
  return new URL('./migrations/', import.meta.url);
}

export type MigrationJournal = typeof journal;

/** The journal's migrations in order, by the tag their .sql file is named after. */
export const MIGRATION_TAGS: readonly string[] = journal.entries.map((e) => e.tag);

/** What drizzle-orm/durable-sqlite/migrator takes: the journal, and each migration's SQL under `m<idx, 4 digits>`. */
export interface BundledMigrations {
  journal: MigrationJournal;
  migrations: Record<string, string>;
}

/** The migrations as a bundle carries them: `sqlOf(tag)` is the text of `<tag>.sql`. */
export function bundledMigrations(sqlOf: (tag: string) => string): BundledMigrations {
  const migrations: Record<string, string> = {};
  for (const e of journal.entries) migrations[`m${String(e.idx).padStart(4, '0')}`] = sqlOf(e.tag);
  return { journal, migrations };
}
