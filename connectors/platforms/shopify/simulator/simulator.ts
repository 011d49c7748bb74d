import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { Faults, serveOnLoopback, type RunningServer } from '../../../simulator-kit/index.ts';
import { LeakyBucket, PLAN_RESTORE_RATES, type BucketSettings, type ThrottleStatus } from './bucket.ts';
import { BulkOperations, type BulkOperationState } from './bulk.ts';
import { OrderChanges, type OrderChange } from './changes.ts';
import { generateOrder, generatedCreatedMs, generatedOrderId, type GeneratorOptions } from './generator.ts';
import { graphqlTime, type SimOrder } from './model.ts';
import { SimOrderBook } from './orderBook.ts';
import { answerGraphql, type GraphqlStats } from './graphqlEndpoint.ts';
import { restOrderText } from './restJson.ts';
import { rootResolvers, type RequestContext } from './resolvers.ts';
import { simControlRoutes } from './simControl.ts';
import { simOAuthRoutes } from './oauth.ts';
import { adminSchema } from './schema.ts';
import { SimWebhookSubscriptions, topicPath, type SimShopifyDelivery } from './webhooks.ts';

// A Shopify shop's Admin GraphQL API on loopback: the orders query (filters, sort keys, cursor pages), the
// calculated query cost and a leaky bucket answering THROTTLED, bulk operations writing JSONL served from a URL,
// webhook subscriptions and signed deliveries — seeded with N generated orders.

export interface ShopifySimulatorOptions {
  /** The myshopify domain. */
  shop?: string;
  shopName?: string;
  /** The Admin API access token apps send; generated when not given. */
  accessToken?: string;
  /** More tokens (other apps), each with its own scopes and bucket. */
  extraTokens?: Array<{ token: string; scopes: string[] }>;
  /** The app's client secret: webhook deliveries and OAuth redirects are signed with it; generated when not given. */
  apiSecret?: string;
  /** The app's client id (API key) its OAuth authorize page accepts; default "sim-app-key". */
  apiKey?: string;
  scopes?: string[];
  currency?: string;
  /** The shop's UTC offset in minutes (REST times are written in it; bare dates in searches are read in it). */
  timezoneOffsetMinutes?: number;
  ianaTimezone?: string;
  /** How many generated orders the shop starts with. */
  orders?: number;
  seed?: number;
  /** Creation times of the generated orders spread over [from, to); default the 90 days before now. */
  from?: string;
  to?: string;
  /** The shop's clock (order changes, the 60-day window); default Date.now. */
  now?: () => number;
  /** The leaky bucket; default Shopify's standard plan (restore 100/s, 20 seconds' worth). */
  bucket?: Partial<BucketSettings>;
  /** Largest requested cost of a single query (Shopify: 1000). */
  maxQueryCost?: number;
  /** Minimum time a bulk operation stays RUNNING. */
  bulkLatencyMs?: number;
  /**
   * Bulk results render each generated order from one of this many orders rendered in full, with its own ids, number
   * and times (a million orders in about a minute rather than a quarter hour); default 0, every order rendered.
   */
  bulkTemplates?: number;
  deliveryTimeoutMs?: number;
  faultSeed?: number;
}

export const SHOPIFY_SIM_DEFAULT_SCOPES = ['read_orders', 'read_all_orders', 'read_customers'];
const DAY = 86_400_000;

export type ShopifySimulator = ReturnType<typeof createShopifySimulator>;

export function createShopifySimulator(opts: ShopifySimulatorOptions = {}) {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const toMs = opts.to ? Date.parse(opts.to) : startedAt;
  const fromMs = opts.from ? Date.parse(opts.from) : toMs - 90 * DAY;
  if (Number.isNaN(toMs) || Number.isNaN(fromMs) || fromMs > toMs) throw new Error('from and to must be dates, from before to');
  const shop = {
    name: opts.shopName ?? 'Simulated Shop',
    domain: opts.shop ?? 'sim-shop.myshopify.com',
    email: 'owner@example.com',
    currency: (opts.currency ?? 'USD').toUpperCase(),
    ianaTimezone: opts.ianaTimezone ?? 'America/New_York',
    offsetMinutes: opts.timezoneOffsetMinutes ?? -300,
  };
  const gen: GeneratorOptions = {
    seed: opts.seed ?? 1, count: opts.orders ?? 100, fromMs, toMs, nowMs: Math.max(toMs, startedAt), currency: shop.currency,
  };
  const accessToken = opts.accessToken ?? `shpat_${randomBytes(16).toString('hex')}`;
  let apiSecret = opts.apiSecret ?? randomBytes(16).toString('hex');
  const apiKey = opts.apiKey ?? 'sim-app-key';
  const tokens = new Map<string, { scopes: Set<string>; bucket: LeakyBucket }>();
  const restoreRate = opts.bucket?.restoreRate ?? PLAN_RESTORE_RATES.standard;
  const bucketSettings: BucketSettings = { restoreRate, maximumAvailable: opts.bucket?.maximumAvailable ?? restoreRate * 20 };
  const addToken = (token: string, scopes: string[]) => tokens.set(token, { scopes: new Set(scopes), bucket: new LeakyBucket(bucketSettings) });
  addToken(accessToken, opts.scopes ?? SHOPIFY_SIM_DEFAULT_SCOPES);
  for (const t of opts.extraTokens ?? []) addToken(t.token, t.scopes);

  let baseUrl = 'http://127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'orderbridge-shopify-sim-'));
  const book = new SimOrderBook(gen);
  const changes = new OrderChanges(now);
  const faults = new Faults(opts.faultSeed ?? 1);
  const stats: GraphqlStats = { requests: 0, throttled: 0, maxCostExceeded: 0, pointsRequested: 0, pointsSpent: 0 };
  const hooks = new SimWebhookSubscriptions({
    now, shopDomain: shop.domain, apiVersion: '2026-01', secret: () => apiSecret, deliveryTimeoutMs: opts.deliveryTimeoutMs ?? 5_000,
  });
  const schema = adminSchema();
  let bulk: BulkOperations;
  const rootValue = rootResolvers({ shop, book, hooks, bulk: () => bulk, now });
  bulk = new BulkOperations({
    schema, rootValue, dir, now,
    orderGid: (index) => `gid://shopify/Order/${book.idOf(index)}`,
    templates: opts.bulkTemplates ?? 0,
    generated: (index) => (book.isGenerated(index) ? { createdMs: generatedCreatedMs(index, gen), number: (gen.firstOrderNumber ?? 1001) + index } : null),
    baseUrl: () => baseUrl,
    latencyMs: opts.bulkLatencyMs ?? 100,
    onFinished: (op: BulkOperationState) => {
      const body = JSON.stringify({
        admin_graphql_api_id: op.id, completed_at: op.completedMs === null ? null : graphqlTime(op.completedMs),
        created_at: graphqlTime(op.createdMs), error_code: op.errorCode?.toLowerCase() ?? null, status: op.status.toLowerCase(), type: 'query',
      });
      void hooks.deliver('bulk_operations/finish', body);
    },
  });

  const oauth = simOAuthRoutes({
    shopDomain: shop.domain, apiKey: () => apiKey, apiSecret: () => apiSecret,
    issueToken: (scopes) => {
      const token = `shpat_${randomBytes(16).toString('hex')}`;
      addToken(token, scopes);
      return token;
    },
  });

  const orderIndex = (id: string) => {
    const index = book.indexOf(id.replace(/^gid:\/\/shopify\/Order\//, ''));
    if (index === null) throw new Error(`no order ${id}`);
    return index;
  };
  const rest = { offsetMinutes: shop.offsetMinutes };

  const sim = {
    shop: shop.domain,
    accessToken,
    get apiSecret() { return apiSecret; },
    apiKey,
    /** Tokens the OAuth token exchange gave out, oldest first (a revoked one stays listed). */
    get oauthGrants() { return oauth.grants; },
    /** Whether the Admin API still takes this token. */
    tokenLive(token: string): boolean { return tokens.has(token); },
    faults,
    stats,
    book,
    schema,
    rootValue,
    get baseUrl() { return baseUrl; },
    setBaseUrl(url: string) { baseUrl = url.replace(/\/$/, ''); },
    /** Rotates the app secret deliveries are signed with. */
    setApiSecret(secret: string) { apiSecret = secret; },
    get subscriptions() { return [...hooks.subscriptions.values()]; },
    get deliveries(): readonly SimShopifyDelivery[] { return hooks.deliveries; },
    get bulkOperations(): readonly BulkOperationState[] { return [...bulk.operations.values()]; },
    /** Order ids, oldest first (creation order). */
    orderIds(): string[] { return Array.from({ length: book.size }, (_, i) => book.idOf(i)); },
    order(id: string): SimOrder { return book.get(orderIndex(id)); },
    /** The order as its webhook (and REST) JSON, exactly as a delivery's body. */
    webhookBody(id: string): string { return restOrderText(book.get(orderIndex(id)), rest); },
    /** Changes an order (its updated_at moves); no webhook is sent unless asked with notify. */
    changeOrder(id: string, change: OrderChange): SimOrder {
      const index = orderIndex(id);
      const next = changes.apply(book.get(index), change);
      book.replace(index, next);
      return next;
    },
    /** Adds an order, or places a new one now (generated, unpaid or paid, unfulfilled). */
    addOrder(order?: SimOrder): SimOrder {
      if (order) {
        book.add(order);
        return order;
      }
      const at = Math.floor(now() / 1000) * 1000;
      const index = book.size;
      const fresh = generateOrder(index, { ...gen, count: index + 1, fromMs: at, toMs: at + 1000, nowMs: at });
      const placed: SimOrder = {
        ...fresh, id: generatedOrderId(index), createdMs: at, updatedMs: at, processedMs: at, closedMs: null, cancelledMs: null,
        cancelReason: null, fulfillmentStatus: null, fulfillments: [], refunds: [],
        financialStatus: fresh.financialStatus === 'pending' ? 'pending' : 'paid',
      };
      book.add(placed);
      return placed;
    },
    /** Sends the order as `topic` (orders/create, orders/updated, …) to every subscription of that topic. */
    notify(topic: string, id: string): Promise<SimShopifyDelivery[]> {
      return hooks.deliver(topic, sim.webhookBody(id));
    },
    /** Sends the order as `topic` to `url`, signed with the app secret (or `secret`). */
    sendWebhook(url: string, topic: string, id: string, secret?: string): Promise<SimShopifyDelivery> {
      topicPath(topic.replace('/', '_').toUpperCase()); // refuses a topic Shopify does not have
      return hooks.send(url, topic, sim.webhookBody(id), secret);
    },
    /** The bucket of a token (the app's by default): its status, or change it (an empty bucket forces THROTTLED). */
    bucket(token = accessToken): { status(): ThrottleStatus; set: LeakyBucket['set'] } {
      const t = tokens.get(token);
      if (!t) throw new Error('unknown token');
      return t.bucket;
    },
    /**
     * The owner uninstalls the app, as Shopify then acts: the app's tokens (the OAuth ones and `accessToken`) stop
     * working, app/uninstalled goes to its subscriptions, and every subscription the app made is deleted.
     */
    async uninstallApp(): Promise<SimShopifyDelivery[]> {
      tokens.delete(accessToken);
      for (const g of oauth.grants) tokens.delete(g.token);
      const body = JSON.stringify({ id: 548380009, name: shop.name, email: shop.email, domain: shop.domain, myshopify_domain: shop.domain, currency: shop.currency });
      const sent = await hooks.deliver('app/uninstalled', body);
      hooks.subscriptions.clear();
      return sent;
    },
    grantScopes(scopes: string[], token = accessToken): void {
      const t = tokens.get(token);
      if (!t) throw new Error('unknown token');
      t.scopes = new Set(scopes);
    },
  };

  const app = new Hono();
  app.use('/admin/*', faults.middleware());
  app.post('/admin/api/:version/graphql.json', async (c) => {
    const version = c.req.param('version');
    if (!/^(\d{4}-(01|04|07|10)|unstable)$/.test(version)) return c.json({ errors: 'Not Found' }, 404);
    const caller = tokens.get(c.req.header('x-shopify-access-token') ?? '');
    if (!caller) return c.json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }, 401);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = await c.req.json();
    } catch {
      return c.json({ errors: { query: 'Required parameter missing or invalid' } }, 400);
    }
    const context: RequestContext = { bulk: false, apiVersion: version, scopes: caller.scopes };
    const answer = answerGraphql({ schema, rootValue, context, bucket: caller.bucket, stats, maxQueryCost: opts.maxQueryCost ?? 1000 }, body);
    return c.json(answer.body, answer.status as 200);
  });
  app.route('/admin/oauth', oauth.routes);
  app.route('/_sim', simControlRoutes(sim, bulk));
  return Object.assign(sim, {
    app,
    /** Removes the bulk result files. */
    dispose() { rmSync(dir, { recursive: true, force: true }); },
  });
}

export type RunningShopifySimulator = ShopifySimulator & RunningServer & { graphqlUrl(version?: string): string };

/** Starts the simulator on 127.0.0.1 (port 0 = any free port). */
export async function startShopifySimulator(opts: ShopifySimulatorOptions & { port?: number } = {}): Promise<RunningShopifySimulator> {
  const sim = createShopifySimulator(opts);
  const server = await serveOnLoopback(sim.app, opts.port ?? 0);
  sim.setBaseUrl(server.url);
  return Object.assign(sim, {
    url: server.url,
    port: server.port,
    graphqlUrl: (version = '2026-01') => `${server.url}/admin/api/${version}/graphql.json`,
    close: async () => {
      await server.close();
      sim.dispose();
    },
  });
}
