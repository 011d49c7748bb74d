// What the engine tells an observer (logs and metrics, src/core/observability) once a batch is settled.
import type { ClaimedRow } from './outboxQueue.ts';

export type RowSettlement = 'delivered' | 'retry' | 'dead_letter';

export interface SettledRow {
  row: ClaimedRow;
  settled: RowSettlement;
  /** The store's words for a retry or a dead letter, the destination's key already redacted. */
  error?: string;
  /** When a retried row is due again (epoch ms). */
  retryAt?: number;
}

export interface SettledBatch {
  destinationId: string;
  /** The store's kind (engage, local, …). */
  store: string;
  rows: SettledRow[];
  /** From claim to settled. */
  ms: number;
  /** When it was settled (epoch ms, the engine's clock). */
  now: number;
}

export interface DeliveryObserver {
  batchSettled(batch: SettledBatch): void;
}
