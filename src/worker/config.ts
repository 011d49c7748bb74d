// The Worker's settings: vars in wrangler.toml ([vars]) and secrets by `wrangler secret put`, read with the names and
// defaults the Node runtime's environment uses (src/node/config.ts) where the setting means the same.
import { z } from 'zod';
import { reconcileIntervalSetting } from '../core/resync/reconciler.ts';

/** The bindings wrangler.toml declares, and the vars and secrets the Worker reads. */
export interface Env {
  /** One SQLite-backed object per shop, and one (DIRECTORY_OBJECT) holding the list of shops. */
  SHOP: DurableObjectNamespace;
  [name: string]: unknown;
}

const optionalText = z.string().min(1).optional();

const WorkerConfig = z.object({
  ADMIN_TOKEN: optionalText,
  SHOPIFY_API_SECRET: optionalText,
  SHOPIFY_API_SECRET_PREVIOUS: optionalText,
  /** Seals destination secrets and WooCommerce keys at rest (required: there is no disk to keep a generated one on). */
  ENCRYPTION_KEY: optionalText,
  PUBLIC_URL: optionalText,
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  RECEIPTS_RETENTION_DAYS: z.coerce.number().positive().default(30),
  QUARANTINE_RETENTION_DAYS: z.coerce.number().positive().default(30),
  REPLAYED_LETTERS_RETENTION_DAYS: z.coerce.number().positive().default(30),
  JOBS_RETENTION_DAYS: z.coerce.number().positive().default(30),
  DELIVERY_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(1_000),
  DELIVERY_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(15 * 60_000),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(12),
  DELIVERY_REASSERT_AFTER_MS: z.coerce.number().int().positive().default(60_000),
  DELIVERY_LANES: z.coerce.number().int().positive().default(2),
  /** Resyncs: ranges above this many orders are read through a Shopify bulk operation (its JSONL streamed, Web streams). */
  RESYNC_BULK_ABOVE: z.coerce.number().int().min(0).default(10_000),
  /** Every Shopify Admin API call goes here instead of https://<shop> (a simulator; tests and local trials). */
  SHOPIFY_ADMIN_URL: z.string().url().optional(),
  SHOPIFY_MAX_QUERY_COST: z.coerce.number().int().min(1).default(1_000),
  /** How often each shop is reconciled with its platform, at the cron's visits (every 15 minutes): 15m, 1h; 0 = never. */
  RECONCILE_INTERVAL: reconcileIntervalSetting,
});

export type WorkerConfig = z.infer<typeof WorkerConfig>;

const read = new WeakMap<Env, WorkerConfig>();

/** The settings (read once per env object: the entry asks on every request), or an error naming the one that is wrong. */
export function readWorkerConfig(env: Env): WorkerConfig {
  let config = read.get(env);
  if (!config) read.set(env, (config = parse(env)));
  return config;
}

function parse(env: Env): WorkerConfig {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && v !== ''));
  const parsed = WorkerConfig.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
