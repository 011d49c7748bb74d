// The Node runtime's SQL port: better-sqlite3, which is a SqlPort as it is (no wrapper on the hot paths).
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationMillis, migrationsFolder } from '../core/state/migrations.ts';
import * as schema from '../core/state/schema.ts';
import type { Db, StateDatabase } from '../core/state/sqlPort.ts';
import { WriteGate } from '../core/state/writeGate.ts';
import { packOrder } from '../core/state/packedOrder.ts';

export interface OpenDatabase extends StateDatabase {
  sqlite: Database.Database;
  path: string;
  /** How commits reach the disk: 'full' = SQLite fsyncs at every commit; 'async' = the caller fsyncs the WAL (WalDurability). */
  durability: 'full' | 'async';
  /** Held briefly by the checkpointer; the ingest queue and the delivery engine wait for it before writing. */
  writes: WriteGate;
  close(): void;
}

const MIGRATIONS = fileURLToPath(migrationsFolder());

const PACKED_SINCE = migrationMillis('0019_orders_stored_once_packed');

/** Whether migrating will carry orders an earlier release stored as JSON text (migration 0019 keeps them plain). */
function carriesPlainOrders(sqlite: Database.Database): boolean {
  const known = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!known) return false; // a new database: nothing to carry
  const newest = sqlite.prepare('SELECT max(created_at) FROM __drizzle_migrations').pluck().get() as number | null;
  return newest !== null && newest < PACKED_SINCE;
}

/** Packs what migration 0019 carried over as plain JSON (packedOrder's format `{`), once, as it ran: one transaction. */
function packPlainOrders(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    sqlite.exec("UPDATE orders SET canonical = orderbridge_pack_order(canonical) WHERE substr(canonical, 1, 1) = X'7B'");
    sqlite.exec("UPDATE local_orders SET copy = orderbridge_pack_order(copy) WHERE substr(copy, 1, 1) = X'7B'");
  })();
}

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
  // Packs what migration 0019 carried over plain (and what tests fill through SQL).
  sqlite.function('orderbridge_pack_order', { deterministic: true }, (json) => packOrder(String(json)));
  const packsAfter = carriesPlainOrders(sqlite);
  const driver = drizzle(sqlite, { schema });
  migrate(driver, { migrationsFolder: MIGRATIONS });
  if (packsAfter) packPlainOrders(sqlite);
  const db: Db = driver;
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
