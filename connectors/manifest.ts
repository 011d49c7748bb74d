// What each outside system's folder exports: one manifest, listed once in connectors/index.ts.
import type { Platform } from '../src/core/canonical/index.ts';
import type { StoreDefinition } from '../src/core/delivery/destination.ts';
import type { ResyncSource } from '../src/core/resync/source.ts';

/** A store (a destination kind): what the delivery engine drives, and what the tooling around it needs. */
export interface StoreManifest<S = unknown> extends StoreDefinition<S> {
  role: 'store';
  /** The store's README, from the repository's root: its settings, mapping and the vendor's ways. */
  readme: string;
  /** Its simulator, loaded only when asked for (`orderbridge simulate`, tests, benchmarks): never by production code. */
  simulator: SimulatorEntry<StoreSimulatorOptions, RunningStoreSimulator>;
}

/** A platform orders come from. Its webhook intake lives in src/app/webhooks/<platform>/. */
export interface PlatformManifest {
  role: 'platform';
  platform: Platform;
  title: string;
  readme: string;
  simulator?: SimulatorEntry<PlatformSimulatorOptions, RunningPlatformSimulator>;
  /** Reads a shop's orders of a date range for a resync (the module and its API client are imported here, on first use). */
  resync?: (options: PlatformResyncOptions) => Promise<ResyncSource>;
}

/** What the runtime tells every platform's resync reader. */
export interface PlatformResyncOptions {
  /** Shopify: ranges above this many orders are read through a bulk operation. */
  bulkAbove?: number;
  /** Shopify: Admin API calls go to this base URL instead of each shop's own (a simulator). */
  shopifyAdminUrl?: string;
  /** Shopify: the largest requested cost of one query (Shopify's is 1,000; a simulator may allow more). */
  shopifyMaxQueryCost?: number;
}

export type Manifest = StoreManifest | PlatformManifest;

export interface SimulatorEntry<O, R> {
  /** What `orderbridge simulate <name>` takes (store kinds sharing a simulator share its name). */
  name: string;
  /** One line: what it plays and how it authenticates. */
  what: string;
  /** Starts it on 127.0.0.1 (the module is imported here, on first use). */
  start(options: O): Promise<R>;
}

export interface StoreSimulatorOptions {
  /** 0 or absent: any free port. */
  port?: number;
  /**
   * For throughput (bench/deliver): the vendor's quotas lifted, counts kept rather than copies of what was sent,
   * and destination settings that send as fast as the store takes.
   */
  loadTest?: boolean;
}

export interface RunningStoreSimulator {
  url: string;
  /** A destination of this kind that reaches the simulator: its settings and its secret. */
  destination: { settings: Record<string, unknown>; secret: string };
  /** Orders (or events) it has taken since the last reset. */
  accepted(): number;
  reset(): void;
  close(): Promise<void>;
}

export interface PlatformSimulatorOptions {
  /** 0 or absent: any free port. */
  port?: number;
  /** Orders the simulated shop starts with, where it generates some (Shopify). */
  orders?: number;
  /** GraphQL points restored per second, as the shop's plan has it (Shopify). */
  restoreRate?: number;
}

export interface RunningPlatformSimulator {
  url: string;
  /** How to connect orderbridge to it, for a person at a terminal. */
  hint: string;
  close(): Promise<void>;
}
