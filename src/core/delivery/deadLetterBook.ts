import type { SqlStatement } from '../state/sqlPort.ts';
import { eq, isNull, sql } from 'drizzle-orm';
import type { EventType } from '../canonical/index.ts';
import type { Clock, NextTurn } from '../clock.ts';
import type { SyncWriter } from '../pipeline/syncWriter.ts';
import type { Db } from '../state/sqlPort.ts';
import { deadLetters, destinations, orders } from '../state/schema.ts';
import type { WriteGate } from '../state/writeGate.ts';

export type DeadLetterRow = typeof deadLetters.$inferSelect;

/** The listings in id order from a cursor, each one index range: open letters (of one destination), or every letter (of one). */
export const DEAD_LETTER_LISTINGS = {
  open: 'SELECT * FROM dead_letters INDEXED BY dead_letters_replayed WHERE replayed_at IS NULL AND id > @after ORDER BY id LIMIT @limit',
  openOf: `SELECT * FROM dead_letters INDEXED BY dead_letters_destination
    WHERE destination_id = @destination AND replayed_at IS NULL AND id > @after ORDER BY id LIMIT @limit`,
  all: 'SELECT * FROM dead_letters WHERE id > @after ORDER BY id LIMIT @limit',
  allOf: `SELECT * FROM dead_letters INDEXED BY dead_letters_of_destination
    WHERE destination_id = @destination AND id > @after ORDER BY id LIMIT @limit`,
} as const;

type Listing = keyof typeof DEAD_LETTER_LISTINGS;

/** A letter as SQLite returns it (`SELECT *`). */
interface LetterColumns {
  id: number; destination_id: string; order_key: string; events: string; order: string | null; customer: string | null;
  source_updated_at: number; origin: DeadLetterRow['origin']; attempts: number; error: string; first_seen: number;
  created_at: number; replayed_at: number | null;
}

const toLetter = (c: LetterColumns): DeadLetterRow => ({
  id: c.id, destinationId: c.destination_id, orderKey: c.order_key, events: c.events, order: c.order, customer: c.customer,
  sourceUpdatedAt: c.source_updated_at, origin: c.origin, attempts: c.attempts, error: c.error, firstSeen: c.first_seen === 1,
  createdAt: c.created_at, replayedAt: c.replayed_at,
});

export type ReplayResult = { replayed: true; outboxOrderKey: string } | { replayed: false; reason: 'not_found' | 'already_replayed' | 'destination_removed' };

/** Rows a store refused (or that ran out of attempts): listed for operators and replayable. */
export class DeadLetterBook {
  /** Prepared once: the statements this class runs. */
  private readonly statements;
  private readonly listings: Record<Listing, SqlStatement>;

  constructor(private readonly db: Db, private readonly writer: SyncWriter, private readonly clock: Clock, private readonly nextTurn: NextTurn) {
    const prepare = (listing: Listing) => db.$client.prepare(DEAD_LETTER_LISTINGS[listing]);
    this.listings = { open: prepare('open'), openOf: prepare('openOf'), all: prepare('all'), allOf: prepare('allOf') };
    this.statements = {
      openIds: db.$client.prepare('SELECT id FROM dead_letters WHERE replayed_at IS NULL ORDER BY id').pluck(),
      openIdsOf: db.$client.prepare('SELECT id FROM dead_letters WHERE destination_id = ? AND replayed_at IS NULL ORDER BY id').pluck(),
    };
  }

  list(opts: { destinationId?: string; includeReplayed?: boolean; limit: number; afterId?: number }): DeadLetterRow[] {
    const page = { after: opts.afterId ?? 0, limit: opts.limit };
    const rows = opts.destinationId === undefined
      ? this.listings[opts.includeReplayed ? 'all' : 'open'].all(page)
      : this.listings[opts.includeReplayed ? 'allOf' : 'openOf'].all({ ...page, destination: opts.destinationId });
    return (rows as LetterColumns[]).map(toLetter);
  }

  get(id: number): DeadLetterRow | undefined {
    return this.db.select().from(deadLetters).where(eq(deadLetters.id, id)).get();
  }

  /**
   * Queues the dead letter again for its destination. The newest known version of the order goes,
   * never the stale one kept in the letter, so a replay cannot roll a store back.
   */
  replay(id: number): ReplayResult {
    // Reads then writes: take the write lock first, as another process may share the file.
    return this.db.transaction(() => this.replayIn(id), { behavior: 'immediate' });
  }

  /**
   * Replays every letter not replayed yet (of one destination), those there when it starts: not those a
   * running server adds meanwhile (an order refused again would come round twice). In slices of 50 (a
   * replay costs ~0.2 ms), each a transaction waiting at the write gate, with a turn of the event loop
   * between them: webhooks keep being answered while an outage's letters go back.
   */
  async replayAll(destinationId: string | undefined, options: { gate?: WriteGate; onEach?: (id: number, result: ReplayResult) => void } = {}): Promise<{ replayed: number; refused: number }> {
    const ids = (destinationId === undefined ? this.statements.openIds.all() : this.statements.openIdsOf.all(destinationId)) as number[];
    const counts = { replayed: 0, refused: 0 };
    for (let i = 0; i < ids.length; i += 50) {
      if (i > 0) await this.nextTurn();
      const held = options.gate?.held;
      if (held) await held;
      const results = this.db.transaction(() => ids.slice(i, i + 50).map((id) => [id, this.replayIn(id)] as const), { behavior: 'immediate' });
      for (const [id, result] of results) {
        counts[result.replayed ? 'replayed' : 'refused']++;
        options.onEach?.(id, result);
      }
    }
    return counts;
  }

  /** One replay, inside the caller's transaction. */
  private replayIn(id: number): ReplayResult {
    const letter = this.get(id);
    if (!letter) return { replayed: false, reason: 'not_found' } as const;
    if (letter.replayedAt !== null) return { replayed: false, reason: 'already_replayed' } as const;
    // Queued for a destination that no longer exists, it would wait forever.
    const destination = this.db.select({ id: destinations.id }).from(destinations).where(eq(destinations.id, letter.destinationId)).get();
    if (!destination) return { replayed: false, reason: 'destination_removed' } as const;
    const now = this.clock.now();
    const current = this.db.select({ sourceUpdatedAt: orders.sourceUpdatedAt })
      .from(orders).where(eq(orders.key, letter.orderKey)).get();
    // An order row without a copy delivers the current version; only a vanished order needs the letter's.
    const order = current || letter.order === null ? null : letter.order;
    this.writer.enqueue({
      destinationId: letter.destinationId, orderKey: letter.orderKey, events: JSON.parse(letter.events) as EventType[], order, customer: letter.customer,
      sourceUpdatedAt: current ? Math.max(current.sourceUpdatedAt, letter.sourceUpdatedAt) : letter.sourceUpdatedAt, origin: 'replay', now,
      firstSeen: letter.firstSeen,
    });
    this.db.update(deadLetters).set({ replayedAt: now }).where(eq(deadLetters.id, id)).run();
    return { replayed: true, outboxOrderKey: letter.orderKey } as const;
  }

  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(deadLetters).where(isNull(deadLetters.replayedAt)).get()?.n ?? 0;
  }

  /** Letters not yet replayed, counting no further than `cap`. */
  countUpTo(cap: number): number {
    const open = this.db.select({ one: sql`1` }).from(deadLetters).where(isNull(deadLetters.replayedAt)).limit(cap);
    return this.db.select({ n: sql<number>`count(*)` }).from(open.as('open')).get()?.n ?? 0;
  }
}
