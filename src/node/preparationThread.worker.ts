// The preparation worker's entry: reads order rows' newest versions and runs stores' pure preparations (each
// store manifest's prepare, from the registry) for the engine.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { storeManifest } from '../../connectors/registry.ts';
import { prepareInputs, type PrepareInput, type PrepareRequest } from '../core/delivery/preparation.ts';
import { currentOrdersOf, type CurrentOrders } from '../core/state/currentOrders.ts';
import { packJsonText } from './preparedBytes.ts';

interface Request { id: number; kind: string; settings: unknown; inputs: PrepareRequest[]; now: number }

const { databasePath } = workerData as { databasePath: string | null };
let currentOrders: CurrentOrders | null = null;

function openOrderReader(path: string): Database.Database {
  const reader = new Database(path, { readonly: true, fileMustExist: true });
  // Pages through a memory map rather than a pread each: 9.5 → 7.3 µs to read a 2 KB order (100,000 orders).
  reader.pragma('mmap_size = 1073741824');
  return reader;
}

function withCurrentOrders(inputs: PrepareRequest[]): PrepareInput[] {
  const keys = inputs.flatMap((i) => (i.current === null ? [] : [i.current]));
  if (keys.length === 0) return inputs;
  if (!databasePath) throw new Error('the preparation thread was started without a database to read orders from');
  currentOrders ??= currentOrdersOf(openOrderReader(databasePath));
  const found = currentOrders(keys);
  // An order gone from `orders` (shop/redact) prepares as no order, as it would inline.
  return inputs.map((i) => (i.current === null ? i : { order: found.get(i.current) ?? null, events: i.events, origin: i.origin }));
}

parentPort!.on('message', ({ id, kind, settings, inputs, now }: Request) => {
  try {
    const store = storeManifest(kind);
    if (!store?.prepare) throw new Error(`no preparation for store kind ${kind}`);
    // The settings are those the engine read with this store's settingsSchema.
    const results = prepareInputs((item, read, at) => store.prepare!(item, read, at), withCurrentOrders(inputs), settings, now);
    const bytes = packJsonText(results);
    parentPort!.postMessage({ id, results }, bytes ? [bytes] : []);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
