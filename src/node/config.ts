import { z } from 'zod';
import { reconcileIntervalSetting } from '../core/resync/reconciler.ts';
import { issuesLine } from '../core/schemaIssues.ts';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_PATH: z.string().default('./data/orderbridge.db'),
  ADMIN_TOKEN: z.string().min(1).optional(),
  ENCRYPTION_KEY: z.string().min(1).optional(),
  SHOPIFY_API_SECRET: z.string().optional(),
  SHOPIFY_API_SECRET_PREVIOUS: z.string().optional(),
  /** The Shopify app's client id: with SHOPIFY_API_SECRET and APP_URL, shops install it through OAuth. */
  SHOPIFY_API_KEY: z.string().optional(),
  /** Access scopes an install asks for, comma-separated. */
  SHOPIFY_SCOPES: z.string().default('read_orders,read_customers')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z_]+$/, 'scopes are words such as read_orders')).min(1, 'name at least one scope')),
  /** This connector's public base URL: OAuth redirects, wc-auth callbacks and webhook addresses are made from it. */
  APP_URL: z.url({ protocol: /^https?$/ }).transform((v) => v.replace(/\/+$/, '')).optional(),
  /** The former name of APP_URL, still read when APP_URL is unset. */
  PUBLIC_URL: z.string().url().optional(),
  /** Single-shop installs: a store every shop forwards to, besides the local store. */
  DESTINATION_KIND: z.string().optional(),
  DESTINATION_SETTINGS: z.string().default('{}'),
  DESTINATION_SECRET: z.string().optional(),
  DESTINATION_REQUESTS_PER_SECOND: z.coerce.number().int().min(0).optional(),
  /** Delivery ids are remembered this long for dedupe (Shopify retries for 4 hours). */
  RECEIPTS_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** Payloads the mapping could not read are kept this long for an operator. */
  QUARANTINE_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** A dead letter is kept until replayed, then this long; one never replayed stays. */
  REPLAYED_LETTERS_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** A finished resync or backfill is listed this long (a shop's newest 20 of each kind stay whatever their age). */
  JOBS_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** Under steady writes the WAL is started over at this size (writes wait a few ms for it): larger = rarer waits, more disk. */
  WAL_RESTART_MB: z.coerce.number().int().min(1).default(64),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  DELIVERY_POLL_MS: z.coerce.number().int().positive().default(250),
  DELIVERY_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(1_000),
  DELIVERY_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(15 * 60_000),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(12),
  /** false = receive only (another process or the Workers cron delivers); true by default. */
  DELIVERY_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** After an unanswered attempt, resend the newest version this much later (heals a late-applied stale write). */
  DELIVERY_REASSERT_AFTER_MS: z.coerce.number().int().positive().default(60_000),
  DELIVERY_LANES: z.coerce.number().int().positive().default(2),
  /** A Shopify resync of a range holding more orders than this reads it through a bulk operation. */
  RESYNC_BULK_ABOVE: z.coerce.number().int().min(0).default(10_000),
  /** Shopify Admin API calls go to this base URL instead of each shop's own: a simulator (orderbridge simulate shopify). */
  SHOPIFY_ADMIN_URL: z.string().url().optional(),
  /** The largest requested cost of one Admin API query: Shopify's is 1,000 (a simulator may allow more). */
  SHOPIFY_MAX_QUERY_COST: z.coerce.number().int().min(1).default(1_000),
  /** How often each shop is reconciled with its platform (an incremental resync by update time): 900, 900s, 15m, 1h; 0 = never. */
  RECONCILE_INTERVAL: reconcileIntervalSetting,
  /** Worker threads that read, map and encode orders for delivery; unset = cores − 1, at most 4. */
  PREPARATION_THREADS: z.coerce.number().int().positive().max(64).optional(),
  /** GET /api/orders pages on a thread of their own: off by default, since on 2 cores bench/listing found pages 5x slower there and webhooks no faster. */
  ADMIN_READ_THREAD: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** debug adds a line per webhook answered; info (the default) a line per delivery batch; warn retries and dead letters. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** json: one JSON object per line (for a collector); pretty: one readable line per entry (for a terminal). */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /** Bearer token for GET /metrics; unset = /metrics is open to whoever reaches the port. */
  METRICS_TOKEN: z.string().min(1).optional(),
});

export type NodeConfig = z.infer<typeof Env>;

/** Reads the environment once; an invalid value stops start-up with a message naming it. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const orphans = ['DESTINATION_SETTINGS', 'DESTINATION_SECRET', 'DESTINATION_REQUESTS_PER_SECOND'].filter((k) => cleaned[k] !== undefined);
  if (!cleaned.DESTINATION_KIND && orphans.length > 0) {
    throw new Error(`invalid configuration: ${orphans.join(', ')} set without DESTINATION_KIND (the store they are for)`);
  }
  const r = Env.safeParse(cleaned);
  if (!r.success) {
    throw new Error(`invalid configuration: ${issuesLine(r.error)}`);
  }
  if (r.data.DELIVERY_BACKOFF_BASE_MS > r.data.DELIVERY_BACKOFF_MAX_MS) {
    throw new Error(`invalid configuration: DELIVERY_BACKOFF_BASE_MS (${r.data.DELIVERY_BACKOFF_BASE_MS}) is above DELIVERY_BACKOFF_MAX_MS (${r.data.DELIVERY_BACKOFF_MAX_MS})`);
  }
  return r.data;
}
