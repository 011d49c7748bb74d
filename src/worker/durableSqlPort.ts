// The Workers runtime's SQL port: a SQLite-backed Durable Object's ctx.storage.sql. It binds by position only, so
// the core's @names are made positional once per statement; values are given as its SQLite takes them.
import { positionalSql, positionalValues } from '../core/state/positionalParameters.ts';
import type { SqlPort, SqlStatement, SqlTransaction } from '../core/state/sqlPort.ts';

/** What a Durable Object's SQLite binds: booleans as 1/0 (it would store 'true'), safe bigints as numbers, no objects. */
function bindable(value: unknown): SqlStorageValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`${value} is beyond what this SQLite binds exactly`);
    return Number(value);
  }
  if (typeof value === 'number' || typeof value === 'string') return value;
  // Bytes go in as they are (workerd takes a Uint8Array, though its types name ArrayBuffer only).
  if (value instanceof Uint8Array) return value as unknown as SqlStorageValue;
  if (value instanceof ArrayBuffer) return value;
  throw new TypeError(`cannot bind a ${Object.prototype.toString.call(value)} (it would be stored as its text)`);
}

/** BLOBs come back as ArrayBuffers; the core reads bytes as Buffers, as better-sqlite3 gives them. */
const readable = (value: unknown): unknown => (value instanceof ArrayBuffer ? Buffer.from(value) : value);

class DurableStatement implements SqlStatement {
  private asArrays = false;
  private firstColumn = false;
  private readonly sql: string;
  private readonly names: string[];

  constructor(private readonly storage: SqlStorage, text: string) {
    ({ sql: this.sql, names: this.names } = positionalSql(text));
  }

  private exec(params: unknown[]) {
    return this.storage.exec(this.sql, ...positionalValues(this.names, params).map(bindable));
  }

  private shape(row: SqlStorageValue[], columns: string[]): unknown {
    if (this.firstColumn) return readable(row[0]);
    if (this.asArrays) return row.map(readable);
    const named: Record<string, unknown> = {};
    columns.forEach((name, i) => (named[name] = readable(row[i])));
    return named;
  }

  run(...params: unknown[]): { changes: number } {
    const cursor = this.exec(params);
    for (const _ of cursor.raw()) { /* a RETURNING clause's rows: read through, so the statement runs to its end */ }
    // rowsWritten counts index rows too: changes() is what better-sqlite3 reports.
    const changes = this.storage.exec('SELECT changes()').one()['changes()'] as number;
    return { changes };
  }

  get(...params: unknown[]): unknown {
    const cursor = this.exec(params);
    const first = cursor.raw().next();
    return first.done ? undefined : this.shape(first.value, cursor.columnNames);
  }

  all(...params: unknown[]): unknown[] {
    const cursor = this.exec(params);
    const rows = Array.from(cursor.raw());
    const columns = cursor.columnNames;
    return rows.map((row) => this.shape(row, columns));
  }

  raw(toggle = true): this {
    this.asArrays = toggle;
    return this;
  }

  pluck(toggle = true): this {
    this.firstColumn = toggle;
    return this;
  }
}

/** The port over one object's storage; transactions are transactionSync (BEGIN is refused there), nested ones savepoints. */
export function durableSqlPort(storage: DurableObjectStorage): SqlPort {
  return {
    prepare: (sql) => new DurableStatement(storage.sql, sql),
    exec: (sql) => storage.sql.exec(sql).toArray(),
    transaction<F extends (...args: any[]) => unknown>(fn: F): SqlTransaction<F> {
      const run = (...args: Parameters<F>) => storage.transactionSync(() => fn(...args)) as ReturnType<F>;
      // One object is one writer: there is no other connection to take the write lock from.
      return Object.assign(run, { immediate: run }) as unknown as SqlTransaction<F>;
    },
  };
}
