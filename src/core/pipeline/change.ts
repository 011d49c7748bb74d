import type { Customer, EventType, Order } from '../canonical/index.ts';
import type { OrderVersion } from './orderVersion.ts';

export type Origin = 'webhook' | 'resync' | 'replay';

/** The delivery as received: its id makes a repeat recognisable. */
export interface Receipt {
  /** `<platform>:<shop>:<delivery id>`. */
  id: string;
  shopId: string;
  topic: string;
  eventId: string | null;
}

/** What one webhook (or one resynced order) asks the sync state to do, already translated. */
export type Change =
  /** events may depend on the version held before (WooCommerce order.updated says not what changed). */
  | { kind: 'order'; order: Order; events: EventType[] | ((previous: Order | null) => EventType[]); origin: Origin }
  /** An order translated and serialised elsewhere (the Node runtime translates webhooks on another thread). */
  | { kind: 'version'; version: OrderVersion; events: EventType[]; origin: Origin }
  /** A change that needs the stored order (e.g. a refund): null from amend = nothing to do. */
  | { kind: 'amend'; orderKey: string; body: string; amend(stored: Order): { order: Order; events: EventType[] } | null }
  | { kind: 'delete'; orderKey: string; at: number; tombstone: Order }
  | { kind: 'customer'; key: string; customer: Customer; events: EventType[] }
  | { kind: 'redact'; customer: CustomerIdentity; orderKeys: string[] }
  | { kind: 'redactShop' }
  | { kind: 'uninstalled' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'quarantine'; body: string; error: string };

export interface CustomerIdentity {
  id: string | null;
  email: string | null;
  phone: string | null;
}

export type IngestOutcome = 'accepted' | 'duplicate' | 'stale' | 'ignored' | 'quarantined' | 'redacted';

export interface IngestResult {
  outcome: IngestOutcome;
  orderKey?: string;
  detail?: string;
}
