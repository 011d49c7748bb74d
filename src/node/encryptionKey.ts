import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * ENCRYPTION_KEY, or on the embedded defaults a random key kept beside the database (mode 0600),
 * so secrets are sealed at rest even on a first `npm start`.
 */
export function resolveEncryptionKey(configured: string | undefined, databasePath: string): { key: string; source: string } {
  if (configured) return { key: configured, source: 'ENCRYPTION_KEY' };
  const file = join(dirname(databasePath === ':memory:' ? './data/x' : databasePath), 'orderbridge.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return { key: readFileSync(file, 'utf8').trim(), source: file };
}
