// The core's way to SQLite: a small synchronous port each runtime implements. better-sqlite3's Database is one as
// it is (src/node/database.ts); a SQLite-backed Durable Object's ctx.storage.sql (exec + transactionSync) can be one.
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';
import type { WriteGate } from './writeGate.ts';

/**
 * A prepared statement. Parameters are positional (`?`) or one object of named ones (`@name`); a runtime whose
 * SQLite binds positions only (a Durable Object) rewrites `@name` to `?` when it prepares, and binds by name.
 */
export interface SqlStatement {
  run(...params: unknown[]): { changes: number };
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Rows as arrays of column values, in the SELECT's order (cheaper to read into JavaScript than named rows). */
  raw(toggle?: boolean): this;
  /** The first column's value instead of the row. */
  pluck(toggle?: boolean): this;
}

type Fn = (...args: any[]) => unknown;
type ArgsOf<F extends Fn> = F extends (...args: infer A) => unknown ? A : never;

/** A function that runs in one transaction; nested, it runs in a savepoint (one bad change fails alone). */
export interface SqlTransaction<F extends Fn> {
  (...args: ArgsOf<F>): ReturnType<F>;
  /** Takes the write lock first: another process on the file cannot fail it half-way (SQLITE_BUSY). */
  immediate(...args: ArgsOf<F>): ReturnType<F>;
}

export interface SqlPort {
  prepare(sql: string): SqlStatement;
  exec(sql: string): unknown;
  /** Built once and called many times: building one per call costs garbage on the hot paths. */
  transaction<F extends Fn>(fn: F): SqlTransaction<F>;
  /**
   * A scalar function SQL may call, where the runtime has them (better-sqlite3 does; a Durable Object does not):
   * callers keep a way that does without.
   */
  function?(name: string, options: { deterministic?: boolean }, fn: (...args: any[]) => unknown): unknown;
}

/**
 * drizzle over a synchronous SQLite driver (better-sqlite3 on Node, durable-sqlite in a Durable Object), with the
 * raw port as `$client` (drizzle's name for the driver under it; a runtime whose driver is not a port sets it).
 * Results of drizzle's run() differ by driver: what counts changed rows goes through the port.
 */
export type Db = BaseSQLiteDatabase<'sync', unknown, typeof schema> & { $client: SqlPort };

/** What the core is handed of a database a runtime opened. */
export interface StateDatabase {
  db: Db;
  sqlite: SqlPort;
  /** Held briefly by a checkpointer (Node); writers wait for it. A runtime without one never holds it. */
  writes: WriteGate;
}
