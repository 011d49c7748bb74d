import type { EventType, Order } from '../canonical/index.ts';
import type { Origin } from '../pipeline/change.ts';

/**
 * A store's pure first half of delivery: canonical order → what it sends. It runs in the preparation
 * worker when the runtime has one (JSON parse, mapping and encoding are most of a fast store's CPU), in
 * the store's deliver otherwise. Inputs and results cross a thread: plain data only.
 */
export interface PrepareInput {
  /** The canonical order as stored (JSON text); null for customer-only items. */
  order: string | null;
  events: EventType[];
  origin: Origin;
}

/** What the engine hands a preparer: an input, or the key of an order whose newest version the preparer reads itself. */
export interface PrepareRequest extends PrepareInput {
  /** Order key of an order row: the preparer reads its newest version (`order` is then null); null otherwise. */
  current: string | null;
}

/** What a store's preparation reads of one item (a DeliveryItem fits): the order parsed, its events and origin. */
export interface PrepareItem {
  order: Order | null;
  events: readonly EventType[];
  origin: Origin;
}

/**
 * Parses each stored order once and runs one store's preparation on it (a preparation thread's loop). A result's
 * encoded JSON goes in a field named `json` (at the top, or one object deep): the preparation thread hands it over
 * as UTF-8 bytes, so stores read it as a JsonText (src/core/delivery/jsonText.ts).
 */
export function prepareInputs<S>(prepare: (item: PrepareItem, settings: S, now: number) => unknown, inputs: PrepareInput[], settings: S, now: number): unknown[] {
  return inputs.map((input) => prepare({
    order: input.order === null ? null : (JSON.parse(input.order) as Order), events: input.events, origin: input.origin,
  }, settings, now));
}

/** Runs a store's preparation somewhere other than the event loop. */
export interface Preparer {
  handles(kind: string): boolean;
  /** One result per input, same order; rejects when the preparation could not run (the batch is retried). */
  prepare(kind: string, settings: unknown, inputs: PrepareRequest[], now: number): Promise<unknown[]>;
  close(): Promise<void>;
}
