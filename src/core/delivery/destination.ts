import type { z } from 'zod';
import type { Customer, EventType, Order } from '../canonical/index.ts';
import type { PrepareItem } from './preparation.ts';
import type { StoreFetch } from './storeHttp.ts';

export type { StoreAnswer, StoreFetch, StoreRequest } from './storeHttp.ts';

/** One outbox row handed to a store: the newest version of an order plus the lifecycle events coalesced into it. */
export interface DeliveryItem {
  /** Outbox row id; stable across retries. */
  id: number;
  orderKey: string;
  /** Lifecycle events since the last delivery of this order to this store, oldest first. */
  events: EventType[];
  /** Newest canonical version; null for customer-only items. */
  readonly order: Order | null;
  customer: Customer | null;
  /**
   * webhook = live change; resync = history (no lifecycle actions); replay = a version sent before, again
   * (an operator's dead-letter replay, or the engine's resend after an unanswered write).
   */
  origin: 'webhook' | 'resync' | 'replay';
  /** 1 on the first try. */
  attempt: number;
  /** The store's prepared form of this item, when a preparation worker made it (src/core/delivery/preparation.ts). */
  prepared?: unknown;
  /** What the store's last attempt said it still owes this item (its `owed`), as it gave it. */
  readonly owed?: unknown;
  /**
   * The item began with the first version of its order this destination gets: the first orderbridge saw (which
   * may come without order.created: an order from before the shop was connected, or whose create webhook was
   * lost), or the first since the destination was added (or changed store).
   */
  readonly firstSeen?: boolean;
}

export type DeliveryOutcome =
  | { outcome: 'delivered'; detail?: string }
  /**
   * `remainingEvents`: the store took part of the item (e.g. the first of its events); the retry carries
   * only these events, so what already arrived is not sent twice. `owed`: any JSON the store wants back on
   * the retry (as `item.owed`) for work that no event names; a store's retry without it (or with null) clears
   * what was owed before. Retries the engine makes itself (an exception, unreadable settings) keep it.
   */
  | { outcome: 'retry'; error: string; retryAfterMs?: number; remainingEvents?: EventType[]; owed?: unknown }
  | { outcome: 'rejected'; error: string };

/** What a connection check found: ok, or what the store (or the network) said, for a person to read. */
export interface ConnectionCheck {
  ok: boolean;
  detail: string;
}

export interface DestinationContext<S> {
  settings: S;
  /** The store credential (API key / token), decrypted for this call only. */
  secret: string;
  /** HTTP paced to the destination's request-rate ceiling, with the store's timeout applied. */
  fetch: StoreFetch;
  now(): number;
  /** Sleeps (e.g. between job polls); tests may speed it up. */
  sleep(ms: number): Promise<void>;
}

/**
 * Everything the delivery engine needs to drive a store. Members that take the settings are methods: a store's
 * definition is listed beside others as StoreDefinition<unknown>, and the engine hands each only what its own
 * settingsSchema read.
 */
export interface StoreDefinition<S = unknown> {
  kind: string;
  title: string;
  /** Public settings (base URL, tenant, options). The secret is kept apart, encrypted. */
  settingsSchema: z.ZodType<S>;
  /** The store needs a credential (the destination's secret): a destination without one is refused, not retried on 401s. */
  requiresSecret: boolean;
  /** Largest batch one deliver() call receives. */
  batchSize: number;
  /** Default request-rate ceiling per second (overridable per destination); null = none. */
  requestsPerSecond: number | null;
  /** Requests sharing this key share one rate budget (e.g. eSputnik orders + other methods). */
  rateGroup?(settings: S, secret: string): string;
  /** Per-request timeout. */
  timeoutMs: number;
  /**
   * True for stores where a resend of the newest version overwrites: after an attempt whose outcome is
   * unknown (timeout, dropped connection) the store may still apply that older write late, so once the
   * row is delivered the engine sends the newest version once more, a little later.
   */
  reassertsAfterUncertainWrites?: boolean;
  /**
   * The cheapest call the store offers that proves its URL and key without writing (the console's "test connection");
   * absent when the store has none, and the console says it cannot test.
   */
  checkConnection?(ctx: DestinationContext<S>): Promise<ConnectionCheck>;
  /** Returns one outcome per item, same order. Must not throw for a store's answer; throwing = retry all. */
  deliver(items: DeliveryItem[], ctx: DestinationContext<S>): Promise<DeliveryOutcome[]>;
  /**
   * The pure first half of deliver (canonical order → what is sent), when the store has one: the runtime may run
   * it off the event loop (the Node runtime's preparation threads) and hand deliver its result as item.prepared.
   * Plain data in and out (see src/core/delivery/preparation.ts).
   */
  prepare?(item: PrepareItem, settings: S, now: number): unknown;
}

/**
 * Classifies an HTTP status the same way for every store: 408/425/429/5xx retry; 401/403 and 3xx retry too
 * (the destination's credential or URL is wrong — a redirect means a moved host or http → https — not
 * the orders: once it is fixed, delivery resumes by itself, and after DELIVERY_MAX_ATTEMPTS they are dead
 * letters); other 4xx reject.
 */
export function classifyStatus(status: number): 'ok' | 'retry' | 'rejected' {
  if (status >= 200 && status < 300) return 'ok';
  if ((status >= 300 && status < 400) || status === 401 || status === 403 || status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/** Retry-After in ms from seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
