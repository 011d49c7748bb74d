import { and, eq, gt, sql } from 'drizzle-orm';
import type { Platform } from '../canonical/index.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../state/sqlPort.ts';
import { destinations, shops } from '../state/schema.ts';

export type ShopRow = typeof shops.$inferSelect;
export type DestinationRow = typeof destinations.$inferSelect;

export const LOCAL_STORE_KIND = 'local';

/**
 * What a change to a destination means for what waits for it: another store (`store`: each order's next row
 * is its first there), another URL, setting or key (`settings`: what failed may go at once), or nothing that
 * a store refused (`none`: a pause, a pace, a new destination with nothing waiting).
 */
export type DestinationChange = 'none' | 'settings' | 'store';

export function destinationChange(before: DestinationRow | undefined, after: DestinationRow | undefined): DestinationChange {
  if (!before || !after) return 'none';
  if (before.kind !== after.kind) return 'store';
  return before.settings !== after.settings || before.secretSealed !== after.secretSealed ? 'settings' : 'none';
}

/** A destination every shop gets from DESTINATION_* (single-shop installs configure their store by environment). */
export interface EnvironmentDestination {
  kind: string;
  settings: string;
  secretSealed: string | null;
  requestsPerSecond: number | null;
}

export function shopId(platform: Platform, domain: string): string {
  return `${platform}:${domain.toLowerCase()}`;
}

/** A destination's full id, `<shop id>:<id>`, from the short id as POST takes it (a full one passes through). */
export function destinationId(shop: string, id: string): string {
  return id.startsWith(`${shop}:`) ? id : `${shop}:${id}`;
}

/** Rows and letters carry full ids: a short one would match nothing and read as an empty queue. */
export const FULL_DESTINATION_ID = {
  test: (value: string): boolean => value.includes(':'),
  hint: "a destination's full id, <shop id>:<id> (e.g. shopify:my-shop.myshopify.com:engage), as GET /api/shops/:shop/destinations lists it",
} as const;

/** How stale the caches may be after another connection changed shops or destinations (checking costs ~3 µs). */
const RECHECK_MS = 50;

/**
 * Shops and their destinations, cached in memory because every webhook needs them. Another process may
 * share the database (a receive-only instance beside the delivering one, the CLI): when anything was
 * committed through another connection, the caches are dropped within RECHECK_MS.
 */
export class ShopRegistry {
  private shopCache = new Map<string, ShopRow>();
  private destinationCache = new Map<string, DestinationRow[]>();
  private enabledCache: DestinationRow[] | null = null;
  private readonly dataVersion;
  private seenDataVersion: unknown = null;
  private checkedAt = -Infinity;

  /** This process's DESTINATION_*, or null: follow the environment's destinations the database holds. */
  private environment: EnvironmentDestination[] | null = null;

  constructor(private readonly db: Db, private readonly clock: Clock) {
    // Changes only when another connection commits; this connection's own changes forget as they go.
    this.dataVersion = db.$client.prepare('PRAGMA data_version').pluck();
  }

  /** Drops the caches when another connection has committed since the last look. */
  private forgetIfChangedElsewhere(): void {
    const t = performance.now();
    if (t - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = t;
    const version = this.dataVersion.get();
    if (version === this.seenDataVersion) return;
    this.seenDataVersion = version;
    this.shopCache.clear();
    this.destinationCache.clear();
    this.enabledCache = null;
  }

  /**
   * The environment's destinations (DESTINATION_*), which every shop gets: given, they are written into every shop
   * known (the ids returned); given none, this process follows what the database holds, read again for each shop
   * it meets first (the delivering process may have changed them since).
   */
  useEnvironmentDestinations(given: EnvironmentDestination[]): string[] {
    this.environment = given.length > 0 ? given : null;
    return this.environment ? this.list().flatMap((shop) => this.applyEnvironmentDestinations(shop.id)) : [];
  }

  /**
   * Pauses and releases to the API the environment's destinations this process's environment does not name
   * (another DESTINATION_KIND, or none): what waits for them stays. Only the delivering process may (the caller's).
   */
  handOverEnvironment(): string[] {
    const kept = new Set((this.environment ?? []).map((e) => e.kind));
    const former = this.db.select({ id: destinations.id, shopId: destinations.shopId, kind: destinations.kind }).from(destinations)
      .where(eq(destinations.fromEnvironment, true)).all().filter((d) => !kept.has(d.kind) && d.kind !== LOCAL_STORE_KIND);
    for (const d of former) {
      this.db.update(destinations).set({ fromEnvironment: false, enabled: false }).where(eq(destinations.id, d.id)).run();
      this.forget(d.shopId);
    }
    return former.map((d) => d.id);
  }

  /** The kind when this destination comes from the environment (every start with it gives it back), else null. */
  environmentKindOf(id: string): string | null {
    const row = this.destination(id);
    return row?.fromEnvironment ? row.kind : null;
  }

  private applyEnvironmentDestinations(shop: string): string[] {
    return (this.environment ?? this.heldEnvironmentDestinations()).map((e) =>
      this.upsertDestination({ id: destinationId(shop, e.kind), shopId: shop, enabled: true, fromEnvironment: true, ...e }).id);
  }

  /** The environment's destinations as the database holds them: one per kind. */
  private heldEnvironmentDestinations(): EnvironmentDestination[] {
    const byKind = new Map<string, EnvironmentDestination>();
    for (const d of this.db.select().from(destinations).where(eq(destinations.fromEnvironment, true)).all()) {
      if (!byKind.has(d.kind)) byKind.set(d.kind, { kind: d.kind, settings: d.settings, secretSealed: d.secretSealed, requestsPerSecond: d.requestsPerSecond });
    }
    return [...byKind.values()];
  }

  get(id: string): ShopRow | undefined {
    this.forgetIfChangedElsewhere();
    const cached = this.shopCache.get(id);
    if (cached) return cached;
    const row = this.db.select().from(shops).where(eq(shops.id, id)).get();
    if (row) this.shopCache.set(id, row);
    return row;
  }

  /** Every shop: for start-up and checks over all of them, not for a request (see page). */
  list(): ShopRow[] {
    return this.db.select().from(shops).all();
  }

  /** Up to `limit` shops after the shop id `after`, by id (the primary key's index), as the admin API pages them. */
  pageQuery(after: string, limit: number) {
    return this.db.select().from(shops).where(gt(shops.id, after)).orderBy(shops.id).limit(limit);
  }

  /** Creates the shop on first sight, with the embedded local store as its first destination. */
  ensure(platform: Platform, domain: string): ShopRow {
    const id = shopId(platform, domain);
    const existing = this.get(id);
    if (existing) {
      if (existing.uninstalledAt !== null) return this.reinstall(existing);
      return existing;
    }
    const now = this.clock.now();
    const row: ShopRow = {
      id, platform, domain: domain.toLowerCase(), credentialsSealed: null, webhookSecretSealed: null, settings: '{}',
      installedAt: now, uninstalledAt: null,
    };
    this.db.transaction((tx) => {
      tx.insert(shops).values(row).onConflictDoNothing().run();
      tx.insert(destinations)
        .values({ id: destinationId(id, LOCAL_STORE_KIND), shopId: id, kind: LOCAL_STORE_KIND, settings: '{}', requestsPerSecond: null, createdAt: now })
        .onConflictDoNothing()
        .run();
    });
    this.applyEnvironmentDestinations(id);
    this.forget(id);
    return this.get(id)!;
  }

  update(id: string, patch: Partial<Pick<ShopRow, 'credentialsSealed' | 'webhookSecretSealed' | 'uninstalledAt' | 'settings'>>): void {
    this.db.update(shops).set(patch).where(eq(shops.id, id)).run();
    this.forget(id);
  }

  private reinstall(row: ShopRow): ShopRow {
    this.update(row.id, { uninstalledAt: null });
    return this.get(row.id)!;
  }

  destinationsOf(shop: string): DestinationRow[] {
    this.forgetIfChangedElsewhere();
    const cached = this.destinationCache.get(shop);
    if (cached) return cached;
    const rows = this.db.select().from(destinations).where(eq(destinations.shopId, shop)).all();
    this.destinationCache.set(shop, rows);
    return rows;
  }

  enabledDestinationsOf(shop: string): DestinationRow[] {
    return this.destinationsOf(shop).filter((d) => d.enabled);
  }

  destination(id: string): DestinationRow | undefined {
    return this.allEnabledDestinations().find((d) => d.id === id) ?? this.db.select().from(destinations).where(eq(destinations.id, id)).get();
  }

  allEnabledDestinations(): DestinationRow[] {
    this.forgetIfChangedElsewhere();
    this.enabledCache ??= this.db.select().from(destinations).where(eq(destinations.enabled, true)).all();
    return this.enabledCache;
  }

  upsertDestination(
    input: Omit<DestinationRow, 'createdAt' | 'requestsPerSecond' | 'fromEnvironment'> & { requestsPerSecond?: number | null; fromEnvironment?: boolean },
  ): DestinationRow {
    const now = this.clock.now();
    const row = { ...input, requestsPerSecond: input.requestsPerSecond ?? null, fromEnvironment: input.fromEnvironment ?? false };
    this.db.insert(destinations).values({ ...row, createdAt: now })
      .onConflictDoUpdate({
        target: destinations.id,
        set: {
          kind: row.kind, settings: row.settings, secretSealed: row.secretSealed, enabled: row.enabled, requestsPerSecond: row.requestsPerSecond,
          fromEnvironment: row.fromEnvironment,
          // Another store under the same id is a new destination: it has had none of the orders yet.
          createdAt: sql`CASE WHEN ${destinations.kind} = excluded.kind THEN ${destinations.createdAt} ELSE excluded.created_at END`,
        },
      })
      .run();
    this.forget(row.shopId);
    return this.destination(row.id)!;
  }

  /** Removes the shop row and its destinations (the caller erases what was held for it first, in the same transaction). */
  removeShop(shop: string): boolean {
    this.db.delete(destinations).where(eq(destinations.shopId, shop)).run();
    // Rows removed are counted through the port: drizzle's run() answers as its driver does.
    const removed = this.db.$client.prepare('DELETE FROM shops WHERE id = ?').run(shop).changes > 0;
    this.forget(shop);
    return removed;
  }

  /**
   * Removes a destination and what was still queued for it (nothing could ever deliver those rows); its dead
   * letters stay for the record. Null when the shop has no such destination.
   */
  removeDestination(shop: string, id: string): { queuedRowsDropped: number } | null {
    const port = this.db.$client;
    const dropped = this.db.transaction(() => {
      if (port.prepare('DELETE FROM destinations WHERE id = ? AND shop_id = ?').run(id, shop).changes === 0) return null;
      return port.prepare('DELETE FROM outbox WHERE destination_id = ?').run(id).changes;
    }, { behavior: 'immediate' });
    this.forget(shop);
    return dropped === null ? null : { queuedRowsDropped: dropped };
  }

  private forget(id: string): void {
    this.enabledCache = null;
    this.shopCache.delete(id);
    this.destinationCache.delete(id);
  }
}
