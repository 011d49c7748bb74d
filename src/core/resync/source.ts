import type { Order, Platform } from '../canonical/index.ts';
import { JobFailure } from '../jobs/jobRunner.ts';
import { versionOf, type OrderVersion } from '../pipeline/orderVersion.ts';

// What a platform hands a resync: its orders of a date range as canonical orders, a page at a time, each page with
// the cursor a later run resumes from. Platforms implement it in connectors/platforms/<name>/resync.ts; the core
// never sees their wire format.

export interface ResyncRange {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  by: 'created' | 'updated';
}

export interface ResyncRequest {
  /** The shop's domain (its id without the platform). */
  shop: string;
  /** The shop's credentials, unsealed (JSON as stored: {"accessToken"} or {"consumerKey","consumerSecret"}). */
  credentials: string;
  /** The shop's public settings (JSON as stored: a WooCommerce shop's url and store currency). */
  settings: string;
  range: ResyncRange;
  /**
   * Called between orders while a page is mapped, where other work shares the thread (a webhook's translation
   * goes first); absent in-line.
   */
  yieldNow?: () => Promise<void>;
  /** Where the last committed page ended, as the source wrote it; null from the start. */
  cursor: string | null;
  signal: AbortSignal;
}

/** An order read that did not map: kept in quarantine as it was read, with why. */
export interface ResyncFailure {
  /** The platform's order id. */
  orderId: string;
  /** Why it did not map (the field). */
  error: string;
  /** The order as the platform gave it (JSON). */
  body: string;
}

export interface ResyncPage {
  /** The page's orders, mapped; deleted ones (WooCommerce's trash) with status 'deleted'. */
  orders: Order[];
  /** Orders read that did not map, each kept in quarantine with the job's id. */
  failures: ResyncFailure[];
  /** Where the next page starts. */
  cursor: string;
  /** How many orders the whole range holds, when the platform says (for the ETA); null when unknown. */
  total: number | null;
  done: boolean;
}

/** A platform's orders of a range, read from any committed cursor on. */
export interface ResyncSource {
  platform: Platform;
  /** Pages from `request.cursor` on; the caller may stop after any page and start again from its cursor. */
  pages(request: ResyncRequest): AsyncIterator<ResyncPage>;
}

/** An order read by a resync, with its version made (packed) before the step's transaction. */
export interface ResyncedOrder {
  version: OrderVersion;
  /** The canonical order of a deleted one (its deletion is built against the version held, in the transaction). */
  deleted?: Order;
}

/** A page as the job writes it: its orders' versions already made. */
export interface VersionedPage extends Omit<ResyncPage, 'orders'> {
  orders: ResyncedOrder[];
  /** The ms its versions took to make (packing, most of a page's reading), its turns for others left out. */
  versionedMs: number;
}

/** Each platform's source, loaded when a resync of it first runs (its client libraries are not loaded before). */
export type ResyncSources = Partial<Record<Platform, () => Promise<ResyncSource>>>;

/**
 * Where a resync's pages are read, mapped and versioned: in-line here (inlineResyncReader), or on a thread of
 * the runtime's own (src/node/translationThread.ts), off the event loop that answers webhooks.
 */
export interface ResyncReader {
  pages(platform: Platform, request: ResyncRequest): AsyncIterator<VersionedPage>;
}

/** Orders versioned between two calls of `yieldNow`. */
const VERSIONED_BETWEEN_YIELDS = 25;

/**
 * A page's orders with their versions made (packing is most of a page's CPU: others on the thread get turns). The
 * page is the caller's to give up: each canonical order is let go once packed, so a page is not held twice.
 */
export async function versionPage(page: ResyncPage, yieldNow?: () => Promise<void>): Promise<VersionedPage> {
  const orders: ResyncedOrder[] = [];
  const mapped: Array<Order | null> = page.orders;
  let versionedMs = 0;
  let since = performance.now();
  for (let i = 0; i < mapped.length; i++) {
    if (yieldNow && i > 0 && i % VERSIONED_BETWEEN_YIELDS === 0) {
      versionedMs += performance.now() - since;
      await yieldNow();
      since = performance.now();
    }
    orders.push(resyncedOrder(mapped[i]!));
    mapped[i] = null;
  }
  return { ...page, orders, versionedMs: versionedMs + performance.now() - since };
}

export function resyncedOrder(order: Order): ResyncedOrder {
  return order.status === 'deleted' ? { version: versionOf(order), deleted: order } : { version: versionOf(order) };
}

/** Reads on the caller's thread: the platform's source, loaded once, its pages versioned as they come. */
export function inlineResyncReader(sources: ResyncSources): ResyncReader & { ready(platform: Platform): Promise<void> } {
  const loaded = new Map<Platform, Promise<ResyncSource>>();
  const sourceOf = (platform: Platform): Promise<ResyncSource> => {
    let source = loaded.get(platform);
    if (!source) {
      const load = sources[platform];
      if (!load) return Promise.reject(new JobFailure(`this orderbridge cannot read ${platform} orders`));
      source = load();
      // A load that failed is tried again by the next resync rather than remembered.
      source.catch(() => loaded.delete(platform));
      loaded.set(platform, source);
    }
    return source;
  };
  return {
    /** Loads a platform's source (its client libraries) ahead of its first page. */
    ready: async (platform) => void (await sourceOf(platform)),
    pages(platform, request) {
      // The load starts now, at open, and the pages use that one load (a failed one is not tried twice).
      const source = sourceOf(platform);
      return (async function* versioned() {
        const pages = (await source).pages(request);
        try {
          for (let next = await pages.next(); !next.done; next = await pages.next()) yield await versionPage(next.value, request.yieldNow);
        } finally {
          await pages.return?.();
        }
      })();
    },
  };
}
