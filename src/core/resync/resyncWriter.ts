import { isStale } from '../pipeline/orderGuard.ts';
import type { SyncWriter } from '../pipeline/syncWriter.ts';
import type { DestinationRow } from '../shops/registry.ts';
import type { SqlPort } from '../state/sqlPort.ts';
import { unpackOrder } from '../state/packedOrder.ts';
import type { ResyncedOrder } from './source.ts';

export interface ResyncTargets {
  /** The destinations the job is for: an unchanged order goes to these only, when they have not had it. */
  destinations: DestinationRow[];
  /** Send the version held to every target even when it has it. */
  force: boolean;
}

interface Held { sourceUpdatedAt: number; version: number; status: string; receivedAt: number; canonical: Buffer }

/** JSON values equal as JSON, whatever their keys' order (the webhook and GraphQL mappings build the same order in different orders). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => sameJson(v, other[i]));
  }
  // As JSON has them: a key whose value is undefined is not there.
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  if (ka.length !== keys(b).length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Two packed orders the same order: the same bytes (one mapping packed both), else equal as JSON. */
function sameOrder(held: Uint8Array, read: Uint8Array): boolean {
  if (held.length === read.length && Buffer.compare(held, read) === 0) return true;
  return sameJson(JSON.parse(unpackOrder(held)), JSON.parse(unpackOrder(read)));
}

/**
 * One order read by a resync through the webhook's pipeline from the mapping on: a new or changed order is stored
 * through the order guard and queued for every destination of the shop (as history: origin resync); an order the
 * shop holds as it is now (or newer, from a webhook) goes only to the job's destinations that have not had it
 * (added since, or left with an open dead letter), or to all of them with `force`. Runs in the step's transaction.
 */
export class ResyncWriter {
  private readonly statements;

  constructor(sqlite: SqlPort, private readonly writer: SyncWriter) {
    this.statements = {
      held: sqlite.prepare(`SELECT source_updated_at AS sourceUpdatedAt, version, status, received_at AS receivedAt, canonical
        FROM orders WHERE key = ?`),
      openLetter: sqlite.prepare('SELECT 1 FROM dead_letters WHERE order_key = ? AND destination_id = ? AND replayed_at IS NULL LIMIT 1'),
    };
  }

  /** 'queued' when any row was written for it, else 'unchanged'. */
  apply({ version, deleted }: ResyncedOrder, targets: ResyncTargets, now: number): 'queued' | 'unchanged' {
    const key = version.key;
    const held = this.statements.held.get(key) as Held | undefined;
    // A store that never had a deleted order needs no deletion.
    if (!held && deleted) return 'unchanged';
    const heldIsCurrent = held && (isStale(version.sourceUpdatedAt, held)
      || (held.status === 'deleted' ? deleted !== undefined : !deleted && sameOrder(held.canonical, version.packed)));
    if (!heldIsCurrent) {
      const result = deleted ? this.writer.putOrder(deleted, ['order.deleted'], 'resync', now) : this.writer.putVersion(version, [], 'resync', now);
      return result.outcome === 'accepted' ? 'queued' : 'unchanged';
    }
    let queued = false;
    for (const d of targets.destinations) {
      const missed = held.receivedAt < d.createdAt || this.statements.openLetter.get(key, d.id) !== undefined;
      if (!targets.force && !missed) continue;
      if (held.status === 'deleted') continue; // its end was told; a deleted order is not sent again
      this.writer.enqueue({ destinationId: d.id, orderKey: key, events: [], sourceUpdatedAt: held.sourceUpdatedAt, origin: 'resync', now, firstSeen: missed });
      queued = true;
    }
    return queued ? 'queued' : 'unchanged';
  }
}
