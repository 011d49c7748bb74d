import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Times are integer epoch milliseconds; JSON columns hold canonical (zod-checked) documents; canonical orders are
// stored packed (src/state/packedOrder.ts).

export const shops = sqliteTable('shops', {
  /** `shopify:<domain>` or `woocommerce:<host>`. */
  id: text('id').primaryKey(),
  platform: text('platform', { enum: ['shopify', 'woocommerce'] }).notNull(),
  domain: text('domain').notNull(),
  /** Platform credentials (Admin API token, consumer key/secret), AES-GCM sealed. */
  credentialsSealed: text('credentials_sealed'),
  /** Webhook signing secret (WooCommerce: per shop), AES-GCM sealed. */
  webhookSecretSealed: text('webhook_secret_sealed'),
  /** Public shop settings as JSON (e.g. WooCommerce site URL and store currency). */
  settings: text('settings').notNull().default('{}'),
  installedAt: integer('installed_at').notNull(),
  uninstalledAt: integer('uninstalled_at'),
});

export const destinations = sqliteTable('destinations', {
  id: text('id').primaryKey(),
  shopId: text('shop_id').notNull(),
  kind: text('kind').notNull(),
  /** Public settings as JSON, checked by the store's zod schema. */
  settings: text('settings').notNull().default('{}'),
  secretSealed: text('secret_sealed'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Request-rate ceiling for this destination; null = the store's default. */
  requestsPerSecond: integer('requests_per_second'),
  /** Written by DESTINATION_* (every shop has it; the API may not change it): shared by every process on the file. */
  fromEnvironment: integer('from_environment', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('destinations_shop').on(t.shopId)]);

export const receipts = sqliteTable('receipts', {
  /** `<platform>:<shop>:<delivery id>`: a repeat of it is a duplicate. */
  id: text('id').primaryKey(),
  shopId: text('shop_id').notNull(),
  topic: text('topic').notNull(),
  /** Shopify X-Shopify-Event-Id (shared by deliveries of one merchant action). */
  eventId: text('event_id'),
  orderKey: text('order_key'),
  /** accepted | stale | ignored | quarantined | redacted */
  outcome: text('outcome').notNull(),
  receivedAt: integer('received_at').notNull(),
}, (t) => [index('receipts_event').on(t.shopId, t.eventId, t.topic)]);

export const orders = sqliteTable('orders', {
  key: text('key').primaryKey(),
  shopId: text('shop_id').notNull(),
  /** The platform's updated_at / date_modified_gmt of the version held: the order guard compares on it. */
  sourceUpdatedAt: integer('source_updated_at').notNull(),
  version: integer('version').notNull().default(1),
  /** The newest canonical version, packed (packOrder): the one copy every reader (stores, the local store, the API) reads. */
  canonical: blob('canonical', { mode: 'buffer' }).notNull(),
  /** The canonical status, for the guard (a deleted order) and backfills without unpacking the order. */
  status: text('status').notNull(),
  /** The platform's creation time of the order (canonical createdAt), for backfill ranges. */
  sourceCreatedAt: integer('source_created_at').notNull(),
  /** Customer identity kept for redaction look-ups (src/privacy/redactor.ts). */
  customerId: text('customer_id'),
  /** Lower-cased. */
  customerEmail: text('customer_email'),
  /** Digits only, of the customer's phone or else the billing address's (see contactPhone). */
  customerPhone: text('customer_phone'),
  receivedAt: integer('received_at').notNull(),
}, (t) => [
  // One index for a redaction's look-ups, on the most specific identity held: a scan of every order
  // stalled ingest ~0.7 s at 200,000 orders. One, not one per field: each costs a page write per commit.
  index('orders_customer_contact').on(t.shopId, sql`coalesce(customer_id, customer_email, customer_phone)`)
    .where(sql`coalesce(customer_id, customer_email, customer_phone) IS NOT NULL`),
]);

export const outbox = sqliteTable('outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  destinationId: text('destination_id').notNull(),
  orderKey: text('order_key').notNull(),
  /** JSON array of canonical event types coalesced into this row, oldest first. */
  events: text('events').notNull(),
  /** Null for order rows: they deliver the newest version in `orders` when claimed (written once, never copied). */
  order: text('order'),
  customer: text('customer'),
  sourceUpdatedAt: integer('source_updated_at').notNull(),
  origin: text('origin', { enum: ['webhook', 'resync', 'replay'] }).notNull(),
  // Every row waits: delivered rows are removed, rejected ones move to dead_letters, claims live in the engine's memory.
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  lastError: text('last_error'),
  /** An attempt of this row may have reached the store without an answer (timeout, dropped connection). */
  uncertain: integer('uncertain', { mode: 'boolean' }).notNull().default(false),
  /** What the store still owes this row after a partial delivery, in the store's own JSON (e.g. Voyado's actions waiting on a job). */
  owed: text('owed'),
  /** The row began with the first version of the order its destination gets: the first seen (no order.created need come), or the first since it was added. */
  firstSeen: integer('first_seen', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  index('outbox_due').on(t.destinationId, t.nextAttemptAt),
  index('outbox_order').on(t.destinationId, t.orderKey, t.id),
  // A destination's rows in id order (the admin listing), wherever its rows sit among a large backlog.
  index('outbox_destination').on(t.destinationId),
]);

/** Orders delivered per destination and minute (src/core/delivery/deliveryTally.ts): delivered rows leave the outbox. */
export const deliveredMinutes = sqliteTable('delivered_minutes', {
  destinationId: text('destination_id').notNull(),
  /** Epoch minutes (epoch ms / 60,000). */
  minute: integer('minute').notNull(),
  delivered: integer('delivered').notNull(),
}, (t) => [primaryKey({ columns: [t.destinationId, t.minute] })]);

/**
 * Which process delivers from this database: claims live in one engine's memory, so a second engine on
 * the same file would send rows twice and out of order. One row ('delivery'), renewed while held.
 */
export const deliveryLease = sqliteTable('delivery_lease', {
  name: text('name').primaryKey(),
  /** host:pid:random of the holder. */
  owner: text('owner').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export const deadLetters = sqliteTable('dead_letters', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  destinationId: text('destination_id').notNull(),
  orderKey: text('order_key').notNull(),
  events: text('events').notNull(),
  order: text('order'),
  customer: text('customer'),
  sourceUpdatedAt: integer('source_updated_at').notNull(),
  origin: text('origin', { enum: ['webhook', 'resync', 'replay'] }).notNull(),
  attempts: integer('attempts').notNull(),
  /** The store's own words, or ours when we refused before sending. */
  error: text('error').notNull(),
  /** The outbox row's firstSeen, so a replay is the same item again. */
  firstSeen: integer('first_seen', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  replayedAt: integer('replayed_at'),
}, (t) => [
  index('dead_letters_destination').on(t.destinationId, t.replayedAt),
  // Redaction finds an order's letters by key; letters pile up in an outage, so no scan.
  index('dead_letters_order').on(t.orderKey),
  // The listings in id order: open letters of every destination (and pruning by replay time), every letter of one.
  index('dead_letters_replayed').on(t.replayedAt),
  index('dead_letters_of_destination').on(t.destinationId),
]);

export const quarantine = sqliteTable('quarantine', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  platform: text('platform').notNull(),
  shopId: text('shop_id').notNull(),
  topic: text('topic').notNull(),
  deliveryId: text('delivery_id'),
  body: text('body').notNull(),
  error: text('error').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * Work queued in steps beside live webhooks (a backfill, a resync): each step's outbox rows and
 * the job's checkpoint (cursor and counts) commit in one transaction, so a job resumed after a restart goes on from
 * its last committed step (src/jobs/jobRunner.ts).
 */
export const jobs = sqliteTable('jobs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** What it does: `backfill` (orders held, to a destination added later) or `resync` (orders read from the platform). */
  kind: text('kind').notNull(),
  shopId: text('shop_id').notNull(),
  /** JSON array of the full destination ids it queues for. */
  destinations: text('destinations').notNull(),
  /** The range it covers, epoch ms (each kind says of what: a backfill's, the orders' creation time); null = open. */
  rangeFrom: integer('range_from'),
  rangeTo: integer('range_to'),
  /** The kind's own options, as JSON. */
  options: text('options').notNull().default('{}'),
  state: text('state', { enum: JOB_STATES }).notNull(),
  /** Where the next step starts, as the kind writes it (a backfill's last order key); null before the first. */
  cursor: text('cursor'),
  /** Steps committed, and what they counted: orders looked at, queued, with nothing to send, that failed. */
  steps: integer('steps').notNull().default(0),
  seen: integer('seen').notNull().default(0),
  queued: integer('queued').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  /** The last step's failure (cleared by a step that succeeds); the job's end when it failed. */
  lastError: text('last_error'),
  createdAt: integer('created_at').notNull(),
  startedAt: integer('started_at'),
  updatedAt: integer('updated_at').notNull(),
  finishedAt: integer('finished_at'),
}, (t) => [
  // A shop's jobs newest first (the listing); the unfinished ones, for the runner.
  index('jobs_shop').on(t.shopId),
  index('jobs_state').on(t.state),
]);

/** The embedded local store: the default destination, readable through /api/orders. */
export const localOrders = sqliteTable('local_orders', {
  key: text('key').primaryKey(),
  shopId: text('shop_id').notNull(),
  /**
   * Null while `orders` holds the order: the local store reads the version kept there rather than a copy. Only an
   * order delivered after it left `orders` (a replayed letter's own copy) is kept here, packed.
   */
  copy: blob('copy', { mode: 'buffer' }),
  /** The platform's update time of the version last delivered here. */
  sourceUpdatedAt: integer('source_updated_at').notNull(),
  deliveries: integer('deliveries').notNull().default(1),
  deliveredAt: integer('delivered_at').notNull(),
}, (t) => [
  // Listings newest first, a shop's or every shop's, paged by (source_updated_at, rowid): each page one index range.
  index('local_orders_shop_updated').on(t.shopId, t.sourceUpdatedAt),
  index('local_orders_updated').on(t.sourceUpdatedAt),
]);

export const localEvents = sqliteTable('local_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  orderKey: text('order_key').notNull(),
  type: text('type').notNull(),
  payload: text('payload'),
  deliveredAt: integer('delivered_at').notNull(),
}, (t) => [index('local_events_order').on(t.orderKey)]);

/**
 * One-time values an install hands the platform and checks when it comes back (Shopify's OAuth state, WooCommerce's
 * wc-auth user_id): each is taken once, for the shop it was issued for, before it expires.
 */
export const installNonces = sqliteTable('install_nonces', {
  nonce: text('nonce').primaryKey(),
  platform: text('platform', { enum: ['shopify', 'woocommerce'] }).notNull(),
  /** Whom it was issued for: a Shopify shop's myshopify domain, a WooCommerce store's URL. */
  shop: text('shop').notNull(),
  expiresAt: integer('expires_at').notNull(),
}, (t) => [index('install_nonces_expiry').on(t.expiresAt)]);

/** The admin console's sessions (the random id in each signed cookie): a logout deletes its row, ending it everywhere. */
export const consoleSessions = sqliteTable('console_sessions', {
  id: text('id').primaryKey(),
  expiresAt: integer('expires_at').notNull(),
}, (t) => [index('console_sessions_expiry').on(t.expiresAt)]);
