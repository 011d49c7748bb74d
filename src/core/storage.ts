import { desc } from 'drizzle-orm';
import { timerTurn, type Clock, type NextTurn } from './clock.ts';
import { Backfill } from './delivery/backfill.ts';
import { DeadLetterBook } from './delivery/deadLetterBook.ts';
import { OutboxQueue } from './delivery/outboxQueue.ts';
import { LocalStoreReader } from './localStore/localStore.ts';
import { IngestQueue } from './pipeline/ingestQueue.ts';
import { SyncWriter } from './pipeline/syncWriter.ts';
import { Redactor } from './privacy/redactor.ts';
import { ShopRegistry } from './shops/registry.ts';
import type { StateDatabase } from './state/sqlPort.ts';
import { quarantine } from './state/schema.ts';

/** Everything the app reads and writes, built over one open database. */
export interface Storage<D extends StateDatabase = StateDatabase> {
  database: D;
  shops: ShopRegistry;
  writer: SyncWriter;
  ingest: IngestQueue;
  outbox: OutboxQueue;
  deadLetters: DeadLetterBook;
  backfill: Backfill;
  local: LocalStoreReader;
  quarantined(limit: number): Array<typeof quarantine.$inferSelect>;
  /** Set by the runtime: called after each ingest commit so delivery starts at once. */
  onCommit: () => void;
  /** Rows queued outside a webhook (replays, backfills) made durable, then delivery told: a 202 means on disk, as a webhook's 200 does. */
  queuedOutside(): Promise<void>;
}

export interface StorageOptions {
  /** How long jobs (replays, backfills) give webhooks a turn between slices; a runtime hands in its fastest. */
  nextTurn?: NextTurn;
}

export function createStorage<D extends StateDatabase>(database: D, clock: Clock, { nextTurn = timerTurn }: StorageOptions = {}): Storage<D> {
  const { db, sqlite } = database;
  const shops = new ShopRegistry(db, clock);
  const outbox = new OutboxQueue(db);
  const writer = new SyncWriter(db, shops, clock, new Redactor(db, shops), (id) => outbox.isClaimed(id));
  const storage: Storage<D> = {
    database,
    shops,
    writer,
    ingest: new IngestQueue(sqlite, writer, () => storage.onCommit(), database.writes),
    outbox,
    deadLetters: new DeadLetterBook(db, writer, clock, nextTurn),
    backfill: new Backfill(sqlite, writer, clock, nextTurn),
    local: new LocalStoreReader(db),
    quarantined: (limit) => db.select().from(quarantine).orderBy(desc(quarantine.id)).limit(limit).all(),
    onCommit: () => {},
    async queuedOutside() {
      await storage.ingest.durable();
      storage.onCommit();
    },
  };
  return storage;
}
