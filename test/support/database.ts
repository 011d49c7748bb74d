import Database from 'better-sqlite3';
import { unpackOrder } from '../../src/core/state/packedOrder.ts';

/** Row counts of every table, read from the live SQLite file (WAL lets us read beside the server). */
export function tableCounts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** Every text value in every table, packed orders unpacked, for "this string is gone everywhere" checks. */
export function allText(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    const readable = (_key: string, value: unknown) =>
      value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' ? unpackOrder(Buffer.from((value as { data: number[] }).data)) : value;
    return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all(), readable)).join('\n');
  } finally {
    db.close();
  }
}

export function query<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
