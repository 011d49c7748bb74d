// One shop's orderbridge inside its Durable Object: the core over the object's SQLite (the same schema and migrations
// as Node), the app's routes, the delivery engine (run by the object's alarm) and the job runner.
import { drizzle } from 'drizzle-orm/durable-sqlite';
import { migrate } from 'drizzle-orm/durable-sqlite/migrator';
import type { Hono } from 'hono';
import { createApp } from '../app/app.ts';
import { systemClock } from '../core/clock.ts';
import { DeliveryEngine } from '../core/delivery/engine.ts';
import { createStoreCatalog } from '../core/delivery/storeCatalog.ts';
import { JobRunner } from '../core/jobs/jobRunner.ts';
import { jobKinds } from '../core/jobs/kinds.ts';
import { WebhookSecrets } from '../core/shops/webhookSecrets.ts';
import * as schema from '../core/state/schema.ts';
import { SecretBox } from '../core/state/secretBox.ts';
import type { Db, StateDatabase } from '../core/state/sqlPort.ts';
import { WriteGate } from '../core/state/writeGate.ts';
import { createStorage, type Storage } from '../core/storage.ts';
import { createShopifyVerifier } from '../../connectors/platforms/shopify/webhookVerifier.ts';
import { PLATFORMS, STORES } from '../../connectors/registry.ts';
import { DEFAULT_RECONCILE_OVERLAP_MS, Reconciler } from '../core/resync/reconciler.ts';
import type { ResyncSources } from '../core/resync/resyncJobs.ts';
import { readWorkerConfig, type Env, type WorkerConfig } from './config.ts';
import { durableSqlPort } from './durableSqlPort.ts';
import { workerMigrations } from './migrationTexts.ts';
import { workerStoreFetch } from './storeFetch.ts';

export interface ShopRuntime {
  config: WorkerConfig;
  storage: Storage;
  app: Hono;
  engine: DeliveryEngine;
  jobs: JobRunner;
  /** Queues the shop's reconciliation passes at the cron's visits (null: RECONCILE_INTERVAL is 0). */
  reconciler: Reconciler | null;
}

/** A setting the operator must give before anything can be held (answered 503, as Node refuses to start). */
export class NotConfigured extends Error {}

export interface ShopRuntimeHooks {
  /** After each commit that queued rows (a webhook, a replay, a job's step): the object arms its alarm. */
  onCommit(): void;
  /** A job was queued: the object runs it. */
  onJobQueued(): void;
}

export async function startShopRuntime(storageOfObject: DurableObjectStorage, env: Env, hooks: ShopRuntimeHooks): Promise<ShopRuntime> {
  let config: WorkerConfig;
  try {
    config = readWorkerConfig(env);
  } catch (error) {
    throw new NotConfigured((error as Error).message);
  }
  if (!config.ENCRYPTION_KEY) {
    throw new NotConfigured('ENCRYPTION_KEY is not set: run `npx wrangler secret put ENCRYPTION_KEY` (32+ random characters; keep a copy: sealed secrets open only with it)');
  }
  const driver = drizzle(storageOfObject, { schema });
  await migrate(driver, workerMigrations());
  const sqlite = durableSqlPort(storageOfObject);
  // drizzle's own queries go through its durable-sqlite driver; what counts changed rows goes through the port.
  const db = Object.assign(driver, { $client: sqlite }) as unknown as Db;
  const database: StateDatabase = { db, sqlite, writes: new WriteGate() };
  const clock = systemClock;
  const storage = createStorage(database, clock);
  const secrets = await SecretBox.fromPassphrase(config.ENCRYPTION_KEY);
  const stores = createStoreCatalog(db, STORES);
  const engine = new DeliveryEngine({
    sqlite, queue: storage.outbox, shops: storage.shops, stores, secrets, clock, fetch: workerStoreFetch,
    options: {
      lanesPerDestination: config.DELIVERY_LANES,
      reassertAfterMs: config.DELIVERY_REASSERT_AFTER_MS,
      backoff: { baseMs: config.DELIVERY_BACKOFF_BASE_MS, maxMs: config.DELIVERY_BACKOFF_MAX_MS, maxAttempts: config.DELIVERY_MAX_ATTEMPTS },
    },
  });
  storage.onCommit = hooks.onCommit;
  storage.onJobQueued = hooks.onJobQueued;
  // Resyncs read the platforms through the runtime's fetch (Shopify's client on its web-api adapter; WooCommerce's over
  // fetch, aliased in by wrangler.toml), each loaded when a resync of that platform first runs.
  if (config.SHOPIFY_ADMIN_URL) (await import('../../connectors/platforms/shopify/admin/runtime.ts')).routeEveryShopifyShop(config.SHOPIFY_ADMIN_URL);
  const resyncOptions = { bulkAbove: config.RESYNC_BULK_ABOVE, shopifyAdminUrl: config.SHOPIFY_ADMIN_URL, shopifyMaxQueryCost: config.SHOPIFY_MAX_QUERY_COST };
  const sources: ResyncSources = Object.fromEntries(PLATFORMS.filter((p) => p.resync).map((p) => [p.platform, () => p.resync!(resyncOptions)]));
  const jobs = new JobRunner({ sqlite, book: storage.jobs, kinds: jobKinds(storage, { secrets, sources }), clock, onStep: () => storage.onCommit() });
  const reconciler = config.RECONCILE_INTERVAL > 0
    ? new Reconciler(sqlite, storage.jobs, storage.shops, clock, { intervalMs: config.RECONCILE_INTERVAL, overlapMs: DEFAULT_RECONCILE_OVERLAP_MS })
    : null;
  const app = createApp({
    storage, clock, stores, secrets,
    ...(reconciler ? { reconciliation: () => reconciler.stats() } : {}),
    config: { adminToken: config.ADMIN_TOKEN ?? null, maxBodyBytes: config.MAX_BODY_BYTES, publicUrl: config.PUBLIC_URL ?? null },
    webhookSecrets: new WebhookSecrets(storage.shops, secrets),
    // Web Crypto (the verifier's default check), as any runtime has it.
    verifyShopify: createShopifyVerifier({ secret: config.SHOPIFY_API_SECRET ?? '', previousSecret: config.SHOPIFY_API_SECRET_PREVIOUS }),
  });
  return { config, storage, app, engine, jobs, reconciler };
}
