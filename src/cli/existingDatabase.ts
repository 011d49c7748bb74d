import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type OpenDatabase } from '../node/database.ts';
import { CliError } from './cliError.ts';

/**
 * The database at `path` (DATABASE_PATH, its default as the server's), which must exist: a mistyped path would
 * otherwise become a new empty database that has "no dead letters" or "no shop".
 */
export function openExistingDatabase(path: string): OpenDatabase {
  if (path === ':memory:') throw new CliError('DATABASE_PATH=:memory: exists only inside the server process; point DATABASE_PATH at a database file');
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new CliError(`no database at ${absolute} (set DATABASE_PATH)`);
  try {
    return openDatabase(path);
  } catch (error) {
    throw new CliError(`cannot open the database at ${absolute}: ${(error as Error).message}`);
  }
}
