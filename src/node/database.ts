// The Node runtime's SQL port: better-sqlite3, which is a SqlPort as it is (no wrapper on the hot paths).
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsFolder as migrationsFolderUrl } from '../core/state/migrations.ts';
import * as schema from '../core/state/schema.ts';
import type { Db, StateDatabase } from '../core/state/sqlPort.ts';
import { WriteGate } from '../core/state/writeGate.ts';
import { isPlainOrder, packOrder } from '../core/state/packedOrder.ts';

export interface OpenDatabase extends StateDatabase {
  sqlite: Database.Database;
  path: string;
  /** How commits reach the disk: 'full' = SQLite fsyncs at every commit; 'async' = the caller fsyncs the WAL (WalDurability). */
  durability: 'full' | 'async';
  /** Held briefly by the checkpointer; the ingest queue and the delivery engine wait for it before writing. */
  writes: WriteGate;
  close(): void;
}

const migrationsFolder = fileURLToPath(migrationsFolderUrl());

/**
 * Opens (creating if needed) the SQLite file in WAL mode and applies the committed migrations.
 * durability 'full': every commit is fsynced by SQLite (simple, blocks the thread for the fsync).
 * durability 'async': commits are not fsynced by SQLite and checkpoints are left to a checkpointer;
 * the runtime must fsync the WAL (WalDurability) before it acknowledges anything.
 */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function migrationsApplied(sqlite: Database.Database): number {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  return table ? (sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number) : 0;
}

/**
 * Migration 0019 carries the orders an earlier release stored as JSON text over as plain bytes (it runs on
 * Durable Objects too, which have no SQL functions); packed here, in one transaction, when a migration just ran.
 */
function packPlainOrders(sqlite: Database.Database): void {
  sqlite.function('orderbridge_pack_order', { deterministic: true }, (stored) => {
    const bytes = stored as Uint8Array;
    return isPlainOrder(bytes) ? packOrder(Buffer.from(bytes).toString('utf8')) : bytes;
  });
  const plain = "substr(%s, 1, 1) = CAST('{' AS BLOB)";
  sqlite.transaction(() => {
    sqlite.prepare(`UPDATE orders SET canonical = orderbridge_pack_order(canonical) WHERE ${plain.replace('%s', 'canonical')}`).run();
    sqlite.prepare(`UPDATE local_orders SET copy = orderbridge_pack_order(copy) WHERE copy IS NOT NULL AND ${plain.replace('%s', 'copy')}`).run();
  })();
}

export function openDatabase(path: string, durability: 'full' | 'async' = 'full'): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // SQLite opens a file it may not write read-only without a word; every webhook would then fail. Say so at start.
  if (path !== ':memory:' && existsSync(path) && !writable(path)) {
    throw new Error(`the database ${path} is read-only: orderbridge needs to write it (and its -wal and -shm files beside it)`);
  }
  const sqlite = new Database(path);
  let driver;
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    if (durability === 'async') sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    driver = drizzle(sqlite, { schema });
    const applied = migrationsApplied(sqlite);
    migrate(driver, { migrationsFolder });
    if (migrationsApplied(sqlite) > applied) packPlainOrders(sqlite);
    // Each webhook of a group commit has a savepoint, whose journal spilled to a temp file past 64 KB and stayed one to the
    // commit's end: up to 14 times the WAL's bytes written on the event loop (test/groupCommitWrites). It only ever rolls
    // one webhook back inside its transaction, so memory does; set after the migrations, whose index builds may sort a lot.
    sqlite.pragma('temp_store = MEMORY');
  } catch (error) {
    sqlite.close();
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new Error(`the database ${path} is locked by another process (another orderbridge, or a tool holding a write lock): ${(error as Error).message}`);
    }
    throw error;
  }
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
