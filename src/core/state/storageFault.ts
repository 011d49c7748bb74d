// SQLite errors that say the storage cannot take a write now (disk full, I/O, locked, read-only), not that the request is wrong.
const UNAVAILABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|NOMEM)/;
/** The same said by the file system to the runtime itself (the WAL's fsync before an answer, a file written beside it). */
const FILE_SYSTEM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EROFS']);

/** True for an error of the database's disk or lock rather than of the request: the sender should try again later. */
export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE.test(code) || FILE_SYSTEM.has(code))) return true;
  // Runtimes whose SQL errors carry no code (a Durable Object's) say it in the message.
  const message = error instanceof Error ? error.message : '';
  return /database or disk is full|disk I\/O error|database is locked|attempt to write a readonly database/i.test(message);
}
