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

/** Claiming or settling failed (the disk full, an I/O error): nothing of it was written, and the engine pauses. */
export interface EngineFault {
  /** What failed: `claim` (looking for due rows, renewing the lease) or `settle` (writing a batch's outcomes). */
  during: 'claim' | 'settle';
  /** SQLite's words (no order data: a statement's error names no values). */
  error: string;
  /** Whether it is the database's disk or lock (isStorageFault) rather than a bug. */
  storage: boolean;
  /** When the engine looks again. */
  retryInMs: number;
  /** Rows whose batch is due again (settle), 0 for a claim. */
  rows: number;
}

export interface DeliveryObserver {
  batchSettled(batch: SettledBatch): void;
  engineFaulted?(fault: EngineFault): void;
}
