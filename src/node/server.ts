import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { systemClock, type Clock } from '../core/clock.ts';
import { DeliveryEngine } from '../core/delivery/engine.ts';
import { JobRunner } from '../core/jobs/jobRunner.ts';
import { jobKinds } from '../core/jobs/kinds.ts';
import { createApp } from '../app/app.ts';
import { incomingBodyReader } from './incomingBody.ts';
import { readingUnreadBodies } from './unreadBody.ts';
import { createStorage, type Storage } from '../core/storage.ts';
import { openDatabase } from './database.ts';
import { pruneAppended, pruneFinishedJobs, pruneReplayedLetters } from '../core/state/retention.ts';
import { startCheckpointer, WalDurability } from './walDurability.ts';
import { holderGone, leaseOwner } from './leaseOwner.ts';
import { DeliveryLease } from '../core/delivery/deliveryLease.ts';
import { startTranslationThread } from './translationThread.ts';
import { startReadThread } from './readThread.ts';
import { inlineOrderPages } from '../app/admin/orderPage.ts';
import { defaultPreparationThreads, startPreparationThreads } from './preparationThread.ts';
import { StoreConnections } from './storeConnections.ts';
import { SecretBox } from '../core/state/secretBox.ts';
import { createShopifyVerifier } from '../../connectors/platforms/shopify/webhookVerifier.ts';
import { STORES } from '../../connectors/registry.ts';
import { resyncSourcesOf } from './resyncThread.ts';
import { DEFAULT_RECONCILE_OVERLAP_MS, Reconciler } from '../core/resync/reconciler.ts';
import { createStoreCatalog } from '../core/delivery/storeCatalog.ts';
import type { NodeConfig } from './config.ts';
import { resolveEncryptionKey } from './encryptionKey.ts';
import { nodeHmacCheck } from './hmac.ts';
import { Destinations } from '../core/shops/destinations.ts';
import { WebhookSecrets } from '../core/shops/webhookSecrets.ts';
import type { Logger } from '../core/observability/logger.ts';
import { ScrapeReadings } from '../core/observability/scrapeReadings.ts';
import { Telemetry } from '../core/observability/telemetry.ts';
import { nodeLogger } from './nodeLogger.ts';
import { promMetrics } from './promMetrics.ts';

export interface RunningNode {
  url: string;
  storage: Storage;
  engine: DeliveryEngine;
  jobs: JobRunner;
  logger: Logger;
  /** Times writes were held so the WAL could start over (none for an in-memory database). */
  readonly walRestarts: number;
  /** Worker threads preparing deliveries (0 for an in-memory database: deliver prepares inline). */
  readonly preparationThreads: number;
  /** Admin pages read on the read thread (none for an in-memory database: they are read on the event loop). */
  readonly pagesReadApart: number;
  /** Stops accepting, lets requests in flight finish, settles the current delivery batch, closes the database. */
  stop(): Promise<void>;
}

/** The first reconciliation pass after start, once the delivery lease is taken. */
const RECONCILE_AFTER_START_MS = 1_000;
/** SQLite's default page size, which the schema keeps: one WAL frame carries one page. */
const PAGE_SIZE = 4096;

/** Why the server could not listen, as a sentence for the operator naming the setting to change. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE': return `port ${port} on ${host} is already in use (set PORT to another)`;
    case 'EACCES': return `port ${port} on ${host} is not open to this user (set PORT to 1024 or above)`;
    case 'EADDRNOTAVAIL': return `HOST ${host} is not an address of this machine (set HOST, e.g. 127.0.0.1 or 0.0.0.0)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `HOST ${host} does not resolve (set HOST, e.g. 127.0.0.1 or 0.0.0.0)`;
    default: return `listening on ${host}:${port} failed: ${error.message}`;
  }
}

export interface NodeOptions {
  /** Where log lines go (default: pino on stdout, at LOG_LEVEL in LOG_FORMAT). */
  logger?: Logger;
}

/** The Node runtime: better-sqlite3 storage, the delivery engine in-process, Hono on node:http. */
export async function startNode(config: NodeConfig, clock: Clock = systemClock, options: NodeOptions = {}): Promise<RunningNode> {
  // Until the server listens, a failure undoes what was started, newest first: nothing is left half-started.
  const undo: Array<() => unknown> = [];
  const logger = options.logger ?? nodeLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  try {
    return await start(config, clock, undo, logger);
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // The start-up error is the one to report.
      }
    }
    throw error;
  }
}

async function start(config: NodeConfig, clock: Clock, undo: Array<() => unknown>, logger: Logger): Promise<RunningNode> {
  const onDisk = config.DATABASE_PATH !== ':memory:';
  const database = openDatabase(config.DATABASE_PATH, onDisk ? 'async' : 'full');
  undo.push(() => database.close());
  const wal = new WalDurability(`${config.DATABASE_PATH}-wal`);
  undo.push(() => wal.close());
  const checkpointer = onDisk ? startCheckpointer(config.DATABASE_PATH, {
    gate: database.writes, restartAfterFrames: Math.round((config.WAL_RESTART_MB * 1024 * 1024) / PAGE_SIZE),
  }) : null;
  undo.push(() => checkpointer?.stop());
  const { key } = resolveEncryptionKey(config.ENCRYPTION_KEY, config.DATABASE_PATH);
  const secrets = await SecretBox.fromPassphrase(key);
  const storage = createStorage(database, clock, { nextTurn });
  if (onDisk) storage.ingest.durable = () => wal.flush();
  const stores = createStoreCatalog(database.db, STORES);
  // DESTINATION_*, checked against the store's own settings schema before anything starts.
  await new Destinations({ shops: storage.shops, outbox: storage.outbox, stores, secrets, clock }).useEnvironment({
    kind: config.DESTINATION_KIND, settings: config.DESTINATION_SETTINGS, secret: config.DESTINATION_SECRET,
    requestsPerSecond: config.DESTINATION_REQUESTS_PER_SECOND,
  });
  // Only the process that delivers, once it does: a start that fails, or a standby, must not pause the deliverer's.
  const handOverEnvironment = () => {
    const handedOver = storage.shops.handOverEnvironment();
    if (handedOver.length === 0) return;
    logger.info(`${handedOver.length} destination(s) an earlier DESTINATION_KIND configured are paused, their queues kept, and now the API's `
      + `to resume or delete (first: ${handedOver.slice(0, 3).join(', ')})`, { destinations: handedOver.length });
  };
  // It reads orders through its own connection: only a database on disk can be shared with it.
  const preparationThreads = onDisk ? config.PREPARATION_THREADS ?? defaultPreparationThreads() : 0;
  const preparer = onDisk ? startPreparationThreads({ databasePath: config.DATABASE_PATH, threads: preparationThreads }) : undefined;
  undo.push(() => preparer?.close());
  // Another process may open the same file (a second start, a receive-only instance turned on by mistake).
  const lease = onDisk
    ? new DeliveryLease(database.sqlite, leaseOwner(), { holderGone, log: (m) => logger.info(m, { component: 'lease' }), onTaken: handOverEnvironment })
    : undefined;
  const metrics = promMetrics();
  const telemetry = new Telemetry({
    logger, metrics: metrics.port, clock, destinations: storage.shops, readings: new ScrapeReadings(database.sqlite), jobKinds: Object.keys(jobKinds(storage)),
  });
  const storeConnections = new StoreConnections();
  undo.push(() => storeConnections.close());
  const engine = new DeliveryEngine({
    sqlite: database.sqlite, gate: database.writes, preparer, lease, queue: storage.outbox, shops: storage.shops, stores, secrets, clock,
    timedFetch: storeConnections.fetchFor,
    observer: telemetry,
    options: {
      pollMs: config.DELIVERY_POLL_MS,
      lanesPerDestination: config.DELIVERY_LANES,
      reassertAfterMs: config.DELIVERY_REASSERT_AFTER_MS,
      backoff: { baseMs: config.DELIVERY_BACKOFF_BASE_MS, maxMs: config.DELIVERY_BACKOFF_MAX_MS, maxAttempts: config.DELIVERY_MAX_ATTEMPTS },
    },
  });
  if (config.DELIVERY_ENABLED) storage.onCommit = () => engine.nudge();
  // Each platform's resync reader, loaded with its API client when a resync of that platform first runs.
  // A simulator standing in for Shopify: every Admin API call (installs' token checks and resyncs) goes to it.
  if (config.SHOPIFY_ADMIN_URL) (await import('../../connectors/platforms/shopify/admin/runtime.ts')).routeEveryShopifyShop(config.SHOPIFY_ADMIN_URL);
  const resyncOptions = { bulkAbove: config.RESYNC_BULK_ABOVE, shopifyAdminUrl: config.SHOPIFY_ADMIN_URL, shopifyMaxQueryCost: config.SHOPIFY_MAX_QUERY_COST };
  // Webhooks are parsed and mapped on this thread, and resyncs' pages read there.
  const translation = startTranslationThread({ resync: resyncOptions, logger });
  undo.push(() => translation.close());
  const jobs = new JobRunner({
    sqlite: database.sqlite, book: storage.jobs, kinds: jobKinds(storage, { secrets, sources: resyncSourcesOf(resyncOptions), reader: translation.resync }), clock, gate: database.writes,
    // One runner per database file: the process that delivers (a receive-only one leaves the jobs it is asked for to it).
    mayRun: () => !lease || lease.heldAt(clock.now()),
    onStep: () => storage.onCommit(),
    ingestCommits: () => storage.ingest.stats.commits,
    slowestAnswerMs: () => storage.ingest.slowestAnswerMs(),
    logger,
  });
  storage.onJobQueued = () => jobs.wake();
  const reconciler = config.RECONCILE_INTERVAL > 0
    ? new Reconciler(database.sqlite, storage.jobs, storage.shops, clock, { intervalMs: config.RECONCILE_INTERVAL, overlapMs: DEFAULT_RECONCILE_OVERLAP_MS })
    : null;
  const webhookSecrets = new WebhookSecrets(storage.shops, secrets);
  // Not awaited: with many shops the check takes a while, and webhooks need not wait for a warning.
  void webhookSecrets.unreadableShopIds().then((ids) => {
    if (ids.length === 0) return;
    logger.error(`${ids.length} WooCommerce shop(s) have a webhook secret this ENCRYPTION_KEY cannot open (first: ${ids.slice(0, 3).join(', ')}): `
      + 'their webhooks are answered 503 and lost (WooCommerce does not retry); restore the key, or connect those shops again', { shops: ids.length });
  }, () => {});
  // Admin pages through a read-only connection of its own: only a database on disk can be shared with it.
  const reads = onDisk && config.ADMIN_READ_THREAD ? startReadThread({ databasePath: config.DATABASE_PATH, inline: inlineOrderPages(storage.local), logger }) : null;
  undo.push(() => reads?.close());
  const app = createApp({
    storage, clock, stores, secrets,
    config: {
      adminToken: config.ADMIN_TOKEN ?? null, maxBodyBytes: config.MAX_BODY_BYTES, publicUrl: config.APP_URL ?? config.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      metricsToken: config.METRICS_TOKEN ?? null,
      shopifyApp: config.SHOPIFY_API_KEY && config.SHOPIFY_API_SECRET
        ? { apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET, scopes: config.SHOPIFY_SCOPES } : null,
    },
    webhookSecrets,
    telemetry,
    metrics: metrics.exposition,
    readWebhookBody: incomingBodyReader,
    deliveryRole: () => (!config.DELIVERY_ENABLED ? 'disabled here' : !lease || lease.heldAt(clock.now()) ? 'this process' : 'another process'),
    translateShopify: translation.translate,
    ...(reads ? { readOrderPage: reads.readOrderPage } : {}),
    ...(reconciler ? { reconciliation: () => reconciler.stats() } : {}),
    verifyShopify: createShopifyVerifier({
      secret: config.SHOPIFY_API_SECRET ?? '', previousSecret: config.SHOPIFY_API_SECRET_PREVIOUS, check: nodeHmacCheck,
    }),
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new Error(listenFailure(error, config.HOST, config.PORT)));
    const s = serve({ fetch: readingUnreadBodies(app.fetch), port: config.PORT, hostname: config.HOST }, () => {
      s.off('error', failed);
      resolve(s);
    });
    s.once('error', failed);
  });
  if (config.DELIVERY_ENABLED) {
    if (!lease) handOverEnvironment(); // an in-memory database has no other process
    engine.start();
    jobs.start(); // resumes a job a stop or crash left running, from its last committed step
  }
  // Reconciliation passes are queued by the process that runs the jobs: one soon after start (what changed while it was
  // down: the shops it had then, unless passed within the interval), then each interval.
  const startedAt = clock.now();
  /** Queues a pass if this process delivers (holds the lease); false when it does not, yet. */
  const reconcile = (options: Parameters<Reconciler['pass']>[0] = {}): boolean => {
    if (!reconciler || (lease && !lease.heldAt(clock.now()))) return false;
    try {
      if (reconciler.pass(options).length > 0) jobs.wake();
    } catch (error) {
      logger.error('reconciliation could not start', { error: (error as Error).message });
    }
    return true;
  };
  const reconciling = reconciler && config.DELIVERY_ENABLED ? setInterval(() => reconcile(), config.RECONCILE_INTERVAL) : null;
  reconciling?.unref();
  // The pass at start waits for the lease (a crashed predecessor's may take a while to lapse), retried each second.
  let reconcilingAtStart: NodeJS.Timeout | null = null;
  const reconcileAtStart = () => {
    reconcilingAtStart = reconcile({ dueOnly: true, installedBefore: startedAt }) ? null : setTimeout(reconcileAtStart, RECONCILE_AFTER_START_MS).unref();
  };
  if (reconciling) reconcilingAtStart = setTimeout(reconcileAtStart, RECONCILE_AFTER_START_MS).unref();
  const stopPruning = new AbortController();
  let pruned: Promise<unknown> | null = null;
  const prune = () => {
    const options = { gate: database.writes, signal: stopPruning.signal, nextTurn };
    const before = (days: number) => clock.now() - days * 86_400_000;
    pruned ??= (async () => {
      await pruneAppended(database.db, 'receipts', before(config.RECEIPTS_RETENTION_DAYS), options);
      await pruneAppended(database.db, 'quarantine', before(config.QUARANTINE_RETENTION_DAYS), options);
      await pruneReplayedLetters(database.db, before(config.REPLAYED_LETTERS_RETENTION_DAYS), options);
      await pruneFinishedJobs(database.db, before(config.JOBS_RETENTION_DAYS), options);
      storage.outbox.tally.prune(before(2)); // the console's chart looks back a day; a few rows a minute, deleted at once
    })()
      .catch((error: unknown) => logger.error('pruning failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => (pruned = null));
  };
  prune();
  const pruning = setInterval(prune, 3_600_000);
  pruning.unref();
  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${config.HOST}:${address.port}`,
    storage,
    engine,
    jobs,
    logger,
    preparationThreads,
    get pagesReadApart() {
      return reads?.served ?? 0;
    },
    get walRestarts() {
      return checkpointer?.restarts ?? 0;
    },
    stop: () => {
      stopping ??= (async () => {
        const http = server as unknown as { closeIdleConnections(): void; closeAllConnections(): void };
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive sockets go as soon as their request is answered; stragglers are cut after 10 s.
          const sweep = setInterval(() => http.closeIdleConnections(), 20);
          const deadline = setTimeout(() => http.closeAllConnections(), 10_000);
          server.once('close', () => {
            clearInterval(sweep);
            clearTimeout(deadline);
          });
          http.closeIdleConnections();
        });
        clearInterval(pruning);
        if (reconciling) clearInterval(reconciling);
        if (reconcilingAtStart) clearTimeout(reconcilingAtStart);
        stopPruning.abort();
        await pruned;
        await jobs.stop(); // after its step in flight; a job left running resumes at the next start
        storage.ingest.flush();
        await wal.flush();
        await engine.stop();
        await storeConnections.close();
        await preparer?.close();
        await translation.close();
        await reads?.close();
        await checkpointer?.stop();
        wal.close();
        database.close();
        logger.info('stopped', { delivered: engine.stats.delivered, retried: engine.stats.retried, deadLettered: engine.stats.deadLettered });
      })();
      return stopping;
    },
  };
}
