import { desc, lt } from 'drizzle-orm';
import { timerTurn, type Clock, type NextTurn } from './clock.ts';
import { DeadLetterBook } from './delivery/deadLetterBook.ts';
import { JobBook } from './jobs/jobBook.ts';
import { OutboxQueue } from './delivery/outboxQueue.ts';
import { LocalStoreReader } from './localStore/localStore.ts';
import { IngestQueue } from './pipeline/ingestQueue.ts';
import { SyncWriter } from './pipeline/syncWriter.ts';
import { Redactor } from './privacy/redactor.ts';
import { ConsoleSessions } from './shops/consoleSessions.ts';
import { InstallNonces } from './shops/installNonces.ts';
import { ShopRegistry } from './shops/registry.ts';
import type { Db, StateDatabase } from './state/sqlPort.ts';
import { quarantine } from './state/schema.ts';

/** Everything the app reads and writes, built over one open database. */
export interface Storage {
  database: StateDatabase;
  shops: ShopRegistry;
  /** Nonces of installs under way (Shopify OAuth state, WooCommerce wc-auth user_id). */
  installNonces: InstallNonces;
  /** The admin console's live sessions (a logout ends one server-side). */
  consoleSessions: ConsoleSessions;
  writer: SyncWriter;
  ingest: IngestQueue;
  outbox: OutboxQueue;
  deadLetters: DeadLetterBook;
  /** Backfills and resyncs: queued here, run by the runtime's JobRunner. */
  jobs: JobBook;
  local: LocalStoreReader;
  /** Newest first: up to `limit` payloads with ids below `before` (the table's own b-tree from there). */
  quarantined(page: { limit: number; before?: number }): Array<typeof quarantine.$inferSelect>;
  /** Set by the runtime: called after each ingest commit so delivery starts at once. */
  onCommit: () => void;
  /** Set by the runtime: called when a job was queued, so its runner looks at once. */
  onJobQueued: () => void;
  /** Rows queued outside a webhook (replays) made durable, then delivery told: a 202 means on disk, as a webhook's 200 does. */
  queuedOutside(): Promise<void>;
}

export interface StorageOptions {
  /** How long replays give webhooks a turn between slices; a runtime hands in its fastest. */
  nextTurn?: NextTurn;
}

/** A page of quarantined payloads, newest first (exported for the test of listings' query plans). */
export function quarantinePage(db: Db, limit: number, before = Number.MAX_SAFE_INTEGER) {
  return db.select().from(quarantine).where(lt(quarantine.id, before)).orderBy(desc(quarantine.id)).limit(limit);
}

export function createStorage(database: StateDatabase, clock: Clock, { nextTurn = timerTurn }: StorageOptions = {}): Storage {
  const { db, sqlite } = database;
  const shops = new ShopRegistry(db, clock);
  const outbox = new OutboxQueue(db);
  const writer = new SyncWriter(db, shops, clock, new Redactor(db, shops), (id) => outbox.isClaimed(id));
  const storage: Storage = {
    database,
    shops,
    installNonces: new InstallNonces(db, clock),
    consoleSessions: new ConsoleSessions(db, clock),
    writer,
    ingest: new IngestQueue(sqlite, writer, () => storage.onCommit(), database.writes),
    outbox,
    deadLetters: new DeadLetterBook(db, writer, clock, nextTurn),
    jobs: new JobBook(sqlite, clock),
    local: new LocalStoreReader(sqlite),
    quarantined: ({ limit, before }) => quarantinePage(db, limit, before).all(),
    onCommit: () => {},
    onJobQueued: () => {},
    async queuedOutside() {
      await storage.ingest.durable();
      storage.onCommit();
    },
  };
  return storage;
}
