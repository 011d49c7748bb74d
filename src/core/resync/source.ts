import type { Order, Platform } from '../canonical/index.ts';

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
