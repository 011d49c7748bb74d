// A SQL port as a Durable Object can offer one, over better-sqlite3 for tests: parameters bound by position only
// (the port rewrites the core's @names, as a Durable Object's must), and no SQL functions.
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { positionalSql, positionalValues } from '../../src/core/state/positionalParameters.ts';
import * as schema from '../../src/core/state/schema.ts';
import type { Db, SqlPort, SqlStatement, StateDatabase } from '../../src/core/state/sqlPort.ts';
import { WriteGate } from '../../src/core/state/writeGate.ts';

class PositionalStatement implements SqlStatement {
  constructor(private readonly statement: Database.Statement, private readonly names: string[]) {}

  run(...params: unknown[]) {
    return this.statement.run(...positionalValues(this.names, params));
  }

  get(...params: unknown[]) {
    return this.statement.get(...positionalValues(this.names, params));
  }

  all(...params: unknown[]) {
    return this.statement.all(...positionalValues(this.names, params));
  }

  raw(toggle?: boolean): this {
    this.statement.raw(toggle ?? true);
    return this;
  }

  pluck(toggle?: boolean): this {
    this.statement.pluck(toggle ?? true);
    return this;
  }
}

export function positionalPort(sqlite: Database.Database): SqlPort {
  return {
    prepare(text) {
      const { sql, names } = positionalSql(text);
      // Every statement the core prepares, as such a runtime would see it: no @name left.
      if (/@[A-Za-z_]/.test(sql.replace(/'(?:[^']|'')*'/g, ''))) throw new Error(`named parameter left in ${sql}`);
      return new PositionalStatement(sqlite.prepare(sql), names);
    },
    exec: (sql) => sqlite.exec(sql),
    transaction: (fn) => sqlite.transaction(fn),
  };
}

/** The core's database over that port (drizzle's own queries still go through its better-sqlite3 driver). */
export function positionalDatabase(sqlite: Database.Database): StateDatabase {
  const port = positionalPort(sqlite);
  const db: Db = Object.assign(drizzle(sqlite, { schema }), { $client: port });
  return { db, sqlite: port, writes: new WriteGate() };
}
