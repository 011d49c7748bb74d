import type { SqlPort } from '../state/sqlPort.ts';

export interface DeliveryLeaseOptions {
  /** How long a lease lasts unrenewed: after a holder vanishes, another process waits at most this long. */
  ttlMs?: number;
  /** Whether a holder is known to be gone (its process ended on this host), so its lease need not be waited out. */
  holderGone?: (owner: string) => boolean;
  /** Told once per change of who delivers. */
  log?: (message: string) => void;
  /** Called each time this process starts to deliver (takes the lease it did not hold). */
  onTaken?: () => void;
}

export interface Holder { owner: string; expiresAt: number }

const NAME = 'delivery';

/**
 * One process delivers from a database at a time. Claims live in the engine's memory, so a second
 * engine on the same file would send the same rows twice and let a newer version overtake an older
 * one. The holder renews its row while it runs (a write at most every half lease) and deletes it on a
 * clean stop; the others keep receiving and take over once the row is gone or has lapsed.
 */
export class DeliveryLease {
  private readonly ttlMs: number;
  /** Until when this process holds the lease as far as it wrote; 0 when it does not. */
  private heldUntil = 0;
  private lastHolder: string | null = null;
  /** The holder this process took the lease from without its release, until the engine asks (takeUnreleased). */
  private unreleased: Holder | null = null;
  /** Prepared once: the statements this class runs. */
  private readonly statements;

  constructor(sqlite: SqlPort, readonly owner: string, private readonly options: DeliveryLeaseOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.statements = {
      read: sqlite.prepare(`SELECT owner, expires_at AS expiresAt FROM delivery_lease WHERE name = '${NAME}'`),
      // Free, lapsed or already ours: the WHERE makes taking it one atomic statement between processes.
      take: sqlite.prepare(`INSERT INTO delivery_lease (name, owner, expires_at) VALUES ('${NAME}', @owner, @until)
        ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE delivery_lease.owner = excluded.owner OR delivery_lease.expires_at <= @now`),
      takeFrom: sqlite.prepare(`UPDATE delivery_lease SET owner = @owner, expires_at = @until WHERE name = '${NAME}' AND owner = @from`),
      release: sqlite.prepare(`DELETE FROM delivery_lease WHERE name = '${NAME}' AND owner = ?`),
    };
  }

  /** Whether this process may deliver now; takes or renews the lease when that is due. */
  holds(now: number): boolean {
    if (this.heldUntil - now > this.ttlMs / 2) return true;
    const holder = this.statements.read.get() as Holder | undefined;
    const until = now + this.ttlMs;
    let taken = false;
    if (!holder || holder.owner === this.owner || holder.expiresAt <= now) {
      taken = this.statements.take.run({ owner: this.owner, until, now }).changes > 0;
    } else if (this.options.holderGone?.(holder.owner)) {
      taken = this.statements.takeFrom.run({ owner: this.owner, until, from: holder.owner }).changes > 0;
    }
    this.heldUntil = taken ? until : 0;
    if (taken && holder && holder.owner !== this.owner) this.unreleased = holder;
    const current = taken ? this.owner : holder?.owner ?? null;
    if (current !== this.lastHolder) {
      this.lastHolder = current;
      if (taken) {
        this.options.log?.(`delivering from this database (${this.owner})`);
        try {
          this.options.onTaken?.();
        } catch (error) {
          this.options.log?.(`after taking the lease: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      else if (current) this.options.log?.(`another process delivers from this database (${current}); this one receives only, and takes over when that one stops`);
    }
    return taken;
  }

  /** Who holds the lease as the database says now (undefined: nobody), to name it. */
  holder(): Holder | undefined {
    return this.statements.read.get() as Holder | undefined;
  }

  /** Whether this process held the lease when it last looked (no database read). */
  heldAt(now: number): boolean {
    return this.heldUntil > now;
  }

  /**
   * The holder this process took over from that never released the lease (killed, or stalled past its lapse), once:
   * its batches in flight were never settled, so any row it could claim may have reached its store unanswered.
   */
  takeUnreleased(): Holder | null {
    const holder = this.unreleased;
    this.unreleased = null;
    return holder;
  }

  /** Lets another process take over at once (a clean stop). */
  release(): void {
    if (this.heldUntil > 0) this.statements.release.run(this.owner);
    this.heldUntil = 0;
    this.lastHolder = null;
  }
}
