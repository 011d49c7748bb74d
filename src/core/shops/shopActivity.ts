// What the console shows of a shop's traffic, read from tables that exist for other reasons: receipts (one per
// webhook, appended in time order and pruned from the front), the local store's listing index and the outbox.
import type { Db, SqlStatement } from '../state/sqlPort.ts';

const MINUTE_MS = 60_000;

export interface ShopTraffic {
  /** Newest webhook received in the window, epoch ms. */
  lastWebhookAt: number;
  /** What became of the newest webhook: accepted, stale, ignored, quarantined, redacted. */
  lastOutcome: string;
}

export interface RecentOrder {
  key: string;
  status: string | null;
  sourceUpdatedAt: number;
  deliveredAt: number;
}

export class ShopActivity {
  private readonly statements: Record<'firstRowid' | 'lastRowid' | 'receiptAt' | 'perMinute' | 'traffic' | 'lastOfShop' | 'held' | 'recent' | 'openLetters', SqlStatement>;

  constructor(db: Db) {
    const port = db.$client;
    this.statements = {
      firstRowid: port.prepare('SELECT min(rowid) FROM receipts').pluck(),
      lastRowid: port.prepare('SELECT max(rowid) FROM receipts').pluck(),
      receiptAt: port.prepare('SELECT received_at FROM receipts WHERE rowid >= ? ORDER BY rowid LIMIT 1').pluck(),
      perMinute: port.prepare(`SELECT received_at / ${MINUTE_MS} AS minute, count(*) AS n FROM receipts
        WHERE rowid >= @from AND shop_id = @shop AND received_at >= @since GROUP BY minute`),
      // The newest receipt of each shop within the window: max() picks the row whose outcome comes with it.
      traffic: port.prepare('SELECT shop_id AS shopId, max(rowid) AS at, received_at AS lastWebhookAt, outcome AS lastOutcome FROM receipts WHERE rowid >= ? GROUP BY shop_id'),
      lastOfShop: port.prepare(`SELECT received_at AS lastWebhookAt, outcome AS lastOutcome FROM receipts INDEXED BY receipts_event
        WHERE shop_id = ? ORDER BY received_at DESC LIMIT 1`),
      held: port.prepare('SELECT count(*) FROM (SELECT 1 FROM local_orders INDEXED BY local_orders_shop_updated WHERE shop_id = ? LIMIT ?)').pluck(),
      recent: port.prepare(`SELECT l.key, o.status, l.source_updated_at AS sourceUpdatedAt, l.delivered_at AS deliveredAt
        FROM local_orders l INDEXED BY local_orders_shop_updated LEFT JOIN orders o ON o.key = l.key
        WHERE l.shop_id = ? ORDER BY l.source_updated_at DESC LIMIT ?`),
      openLetters: port.prepare(`SELECT count(*) FROM (SELECT 1 FROM dead_letters INDEXED BY dead_letters_destination
        WHERE destination_id = ? AND replayed_at IS NULL LIMIT ?)`).pluck(),
    };
  }

  /**
   * The first receipt received at `since` or later, by rowid: receipts are appended in time order, so a binary
   * search over rowids finds it in ~30 look-ups, and the window's queries read that range only.
   */
  firstReceiptSince(since: number): number {
    let lo = this.statements.firstRowid.get() as number | null;
    let hi = this.statements.lastRowid.get() as number | null;
    if (lo === null || hi === null) return Number.MAX_SAFE_INTEGER;
    hi += 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const at = this.statements.receiptAt.get(mid) as number | undefined;
      if (at === undefined || at >= since) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Webhooks received per minute since `since` (epoch minute → count). */
  webhooksPerMinute(shopId: string, since: number, from = this.firstReceiptSince(since)): Map<number, number> {
    const rows = this.statements.perMinute.all({ from, shop: shopId, since }) as Array<{ minute: number; n: number }>;
    return new Map(rows.map((r) => [r.minute, r.n]));
  }

  /** Each shop's newest webhook since `since`, in one pass over the window. */
  trafficSince(since: number): Map<string, ShopTraffic> {
    const rows = this.statements.traffic.all(this.firstReceiptSince(since)) as Array<ShopTraffic & { shopId: string }>;
    return new Map(rows.map((r) => [r.shopId, { lastWebhookAt: r.lastWebhookAt, lastOutcome: r.lastOutcome }]));
  }

  /** A shop's newest webhook however long ago (its receipts, through the shop's part of the receipts index). */
  lastWebhookOf(shopId: string): ShopTraffic | null {
    return (this.statements.lastOfShop.get(shopId) as ShopTraffic | undefined) ?? null;
  }

  /** Orders the local store holds for the shop, counted up to `cap`. */
  ordersHeldUpTo(shopId: string, cap: number): number {
    return this.statements.held.get(shopId, cap) as number;
  }

  /** A destination's dead letters not replayed yet, counted up to `cap`. */
  openLettersUpTo(destinationId: string, cap: number): number {
    return this.statements.openLetters.get(destinationId, cap) as number;
  }

  /** The orders the local store received last, newest version first. */
  recentOrders(shopId: string, limit: number): RecentOrder[] {
    return this.statements.recent.all(shopId, limit) as RecentOrder[];
  }
}
