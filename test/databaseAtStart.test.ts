// A database another process holds locked fails the start with one sentence naming the file, not SQLite's bare "database is locked".
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/node/database.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();
let locker: Database.Database | undefined;
afterEach(() => locker?.close());

describe('opening the database at start', () => {
  it('a file locked by another process: an error naming the file and the lock', () => {
    const path = scratchDb('ob-locked-');
    openDatabase(path).close();
    locker = new Database(path);
    locker.pragma('locking_mode = EXCLUSIVE');
    locker.exec('BEGIN EXCLUSIVE');
    expect(() => openDatabase(path)).toThrow(new RegExp(`the database ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked by another process`));
  });
});
