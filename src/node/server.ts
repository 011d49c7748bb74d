import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../clock.ts';
import { DeliveryEngine } from '../delivery/engine.ts';
import { createApp } from '../http/app.ts';
import { createStorage, type Storage } from '../state/storage.ts';
import { openDatabase } from '../state/database.ts';
import { SecretBox } from '../state/secretBox.ts';
import { createShopifyVerifier } from '../../connectors/shopify/webhookVerifier.ts';
import { createStoreCatalog } from '../stores.ts';
import type { NodeConfig } from './config.ts';
import { resolveEncryptionKey } from './encryptionKey.ts';
import { WebhookSecrets } from '../shops/webhookSecrets.ts';

export interface RunningNode {
  url: string;
  storage: Storage;
  engine: DeliveryEngine;
  /** Stops accepting, lets requests in flight finish, settles the current delivery batch, closes the database. */
  stop(): Promise<void>;
}

/** The Node runtime: better-sqlite3 storage, the delivery engine in-process, Hono on node:http. */
export async function startNode(config: NodeConfig, clock: Clock = systemClock): Promise<RunningNode> {
  const database = openDatabase(config.DATABASE_PATH);
  const { key } = resolveEncryptionKey(config.ENCRYPTION_KEY, config.DATABASE_PATH);
  const secrets = await SecretBox.fromPassphrase(key);
  const storage = createStorage(database, clock);
  const stores = createStoreCatalog(database.db);
  const engine = new DeliveryEngine({
    sqlite: database.sqlite, queue: storage.outbox, shops: storage.shops, stores, secrets, clock,
    options: {
      pollMs: config.DELIVERY_POLL_MS,
      lanesPerDestination: config.DELIVERY_LANES,
      backoff: { baseMs: config.DELIVERY_BACKOFF_BASE_MS, maxMs: config.DELIVERY_BACKOFF_MAX_MS, maxAttempts: config.DELIVERY_MAX_ATTEMPTS },
    },
  });
  if (config.DELIVERY_ENABLED) storage.onCommit = () => engine.nudge();
  const app = createApp({
    storage, clock, stores, secrets,
    config: { adminToken: config.ADMIN_TOKEN ?? null, maxBodyBytes: config.MAX_BODY_BYTES, publicUrl: config.PUBLIC_URL ?? null },
    webhookSecrets: new WebhookSecrets(storage.shops, secrets),
    verifyShopify: createShopifyVerifier({
      secret: config.SHOPIFY_API_SECRET ?? '', previousSecret: config.SHOPIFY_API_SECRET_PREVIOUS, apiKey: config.SHOPIFY_API_KEY,
    }),
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
  });
  if (config.DELIVERY_ENABLED) engine.start();
  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${config.HOST}:${address.port}`,
    storage,
    engine,
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
        storage.ingest.flush();
        await engine.stop();
        database.close();
      })();
      return stopping;
    },
  };
}
