import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packOrder } from './packedOrder.ts';
import * as schema from './schema.ts';
import { WriteGate } from './writeGate.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabase {
  db: Db;
  sqlite: Database.Database;
  path: string;
  /** How commits reach the disk: 'full' = SQLite fsyncs at every commit; 'async' = the caller fsyncs the WAL (WalDurability). */
  durability: 'full' | 'async';
  /** Held briefly by the checkpointer; the ingest queue and the delivery engine wait for it before writing. */
  writes: WriteGate;
  close(): void;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens (creating if needed) the SQLite file in WAL mode and applies the committed migrations.
 * durability 'full': every commit is fsynced by SQLite (simple, blocks the thread for the fsync).
 * durability 'async': commits are not fsynced by SQLite and checkpoints are left to a checkpointer;
 * the runtime must fsync the WAL (WalDurability) before it acknowledges anything.
 */
export function openDatabase(path: string, durability: 'full' | 'async' = 'full'): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  if (durability === 'async') sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Migration 0019 packs the orders an earlier release stored as JSON text.
  sqlite.function('orderbridge_pack_order', { deterministic: true }, (json) => packOrder(String(json)));
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    path,
    durability,
    writes: new WriteGate(),
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
