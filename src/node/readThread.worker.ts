// The read worker's entry: admin pages read through a read-only connection of its own, so a page costs the event loop
// only the message that asks and the buffer handed back (src/node/readThread.ts).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { LocalStoreReader, type LocalOrderQuery } from '../core/localStore/localStore.ts';
import { orderPageBody } from '../app/admin/orderPage.ts';

const { databasePath } = workerData as { databasePath: string };
const reader = new Database(databasePath, { readonly: true, fileMustExist: true });
// The writer may hold the lock for a commit: a reader of a WAL database never waits for it, but it may for a checkpoint's restart.
reader.pragma('busy_timeout = 5000');
reader.pragma('mmap_size = 1073741824');
const local = new LocalStoreReader(reader);

parentPort!.on('message', ({ id, query }: { id: number; query: LocalOrderQuery }) => {
  try {
    const body = orderPageBody(local.list(query));
    parentPort!.postMessage({ id, body }, [body.buffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
