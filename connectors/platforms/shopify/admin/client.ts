import './runtime.ts';
import {
  ApiVersion, GraphqlQueryError, HttpRequestError, HttpResponseError, HttpRetriableError, HttpThrottlingError,
  LogSeverity, Session, shopifyApi, type Shopify,
} from '@shopify/shopify-api';
import { CostModel } from './costEstimate.ts';
import { runBulkOrders, type BulkOrdersPage, type RunBulkOrdersOptions } from './bulkOrders.ts';
import { ShopifyAdminError, type ShopifyGraphqlError } from './errors.ts';
import { iterateOrders, type IterateOrdersOptions, type OrdersPage } from './orders.ts';
import { grantedScopes, historyAccess, type HistoryAccess } from './scopes.ts';
import { CostPacer, realClock, type PacerClock, type PacerStats } from './pacer.ts';
import type { Answer, QueryCost, QueryOptions, ShopCredentials } from './types.ts';

// The Admin GraphQL API of many shops through @shopify/shopify-api's GraphQL client, each shop's calls paced by
// the cost its bucket reports (see pacer.ts). Network errors, 429 and 5xx are retried with back-off;
// anything else is a ShopifyAdminError that says what Shopify answered (never the token).

export const DEFAULT_API_VERSION = '2026-01';

export interface ShopifyAdminOptions {
  apiVersion?: string;
  /** Time and waiting (tests observe the waits). */
  clock?: PacerClock;
  /** Retries of a network error, 429 or 5xx before giving up. */
  maxRetries?: number;
  /** First back-off after a network error or 5xx, doubled each time (a 429's Retry-After wins). */
  retryBaseMs?: number;
  /** Shopify's limit for one query's requested cost (1000); a MAX_COST_EXCEEDED answer corrects it. */
  maxQueryCost?: number;
}

export type { Answer, QueryOptions, ShopCredentials } from './types.ts';

export class ShopifyAdmin {
  readonly apiVersion: string;
  private readonly shopify: Shopify;
  private readonly pacers = new Map<string, CostPacer>();
  private readonly models = new Map<string, CostModel>();
  private readonly clock: PacerClock;
  /** Shopify's limit for one query's requested cost (learned again from a MAX_COST_EXCEEDED). */
  maxQueryCost: number;

  constructor(private readonly opts: ShopifyAdminOptions = {}) {
    this.apiVersion = opts.apiVersion ?? DEFAULT_API_VERSION;
    this.clock = opts.clock ?? realClock;
    this.maxQueryCost = opts.maxQueryCost ?? 1000;
    this.shopify = shopifyApi({
      // OAuth settings the library insists on; Admin API calls with an access token use none of them
      apiKey: 'orderbridge',
      apiSecretKey: 'orderbridge-admin-reads',
      hostName: 'localhost',
      isEmbeddedApp: false,
      apiVersion: this.apiVersion as ApiVersion,
      logger: { level: LogSeverity.Error, log: async () => {}, httpRequests: false, timestamps: false },
    });
  }

  /** The pacer of a shop's bucket (one per shop: every caller in this process shares it). */
  pacer(shop: string): CostPacer {
    let p = this.pacers.get(shop);
    if (!p) this.pacers.set(shop, (p = new CostPacer(this.clock)));
    return p;
  }

  stats(shop: string): PacerStats {
    return this.pacer(shop).stats;
  }

  /** The cost model of a document (shared by all shops: the same query costs the same everywhere). */
  private model(document: string, pageVariable: string | undefined, variables: Record<string, unknown>): CostModel {
    const key = `${pageVariable ?? ''}\n${document}`;
    let m = this.models.get(key);
    if (!m) this.models.set(key, (m = new CostModel(document, pageVariable ?? null, variables)));
    return m;
  }

  /**
   * The largest page (1..cap) of `document` whose requested cost fits both Shopify's single-query limit and
   * the shop's bucket (minus a reserve of 50 ms of restore), by what its answers have cost so far.
   */
  pageSize(shop: string, document: string, pageVariable: string, cap: number, variables: Record<string, unknown> = {}): number {
    const status = this.pacer(shop).lastStatus;
    const bucket = status ? status.maximumAvailable - status.restoreRate * 0.05 - 1 : Infinity;
    return this.model(document, pageVariable, variables).pageFor(Math.min(this.maxQueryCost, bucket), cap);
  }

  /** One GraphQL call, paced and retried; data or a ShopifyAdminError. */
  query<T>(creds: ShopCredentials, document: string, variables: Record<string, unknown> = {}, opts: QueryOptions = {}): Promise<Answer<T>> {
    const session = new Session({ id: `offline_${creds.shop}`, shop: creds.shop, state: 'offline', isOnline: false, accessToken: creds.token });
    const client = new this.shopify.clients.Graphql({ session });
    const model = this.model(document, opts.pageVariable, variables);
    const size = opts.pageVariable ? Number(variables[opts.pageVariable] ?? 0) : 0;
    const learn = (cost: QueryCost | null) => {
      if (cost && Number.isFinite(cost.requestedQueryCost)) model.learn(cost.requestedQueryCost, size);
    };
    return this.pacer(creds.shop).run<Answer<T>>(() => Math.ceil(model.cost(size)), async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await client.request(document, { variables });
          const cost = (res.extensions as { cost?: QueryCost } | undefined)?.cost ?? null;
          learn(cost);
          return { value: { data: res.data as T, cost }, cost, throttled: false };
        } catch (error) {
          if (error instanceof GraphqlQueryError) {
            const body = error.body as { extensions?: { cost?: QueryCost }; errors?: { graphQLErrors?: ShopifyGraphqlError[] } } | undefined;
            const errors = body?.errors?.graphQLErrors ?? [];
            const cost = body?.extensions?.cost ?? null;
            learn(cost);
            if (errors.some((e) => e.extensions?.code === 'THROTTLED')) return { value: undefined as never, cost, throttled: true };
            const tooDear = errors.find((e) => e.extensions?.code === 'MAX_COST_EXCEEDED');
            if (typeof tooDear?.extensions?.maxCost === 'number') this.maxQueryCost = tooDear.extensions.maxCost;
            const code = errors.find((e) => e.extensions?.code)?.extensions?.code ?? 'GRAPHQL';
            throw new ShopifyAdminError(`Shopify answered ${creds.shop}: ${errors.map((e) => e.message).join('; ')}`, code, errors, cost);
          }
          const wait = this.retryWait(error, attempt);
          if (wait === null) throw this.failure(error, creds.shop);
          await this.clock.sleep(wait);
        }
      }
    });
  }

  /** Pages of complete orders of a date range (see orders.ts); resume with `after` = a page's endCursor. */
  iterateOrders(opts: IterateOrdersOptions): AsyncGenerator<OrdersPage> {
    return iterateOrders(this, opts);
  }

  /** The same orders through a bulk operation (see bulkOrders.ts); resume with a page's checkpoint. */
  runBulkOrders(opts: RunBulkOrdersOptions): AsyncGenerator<BulkOrdersPage> {
    return runBulkOrders(this, opts);
  }

  grantedScopes(creds: ShopCredentials): Promise<string[]> {
    return grantedScopes(this, creds);
  }

  /** Whether orders from `from` on are readable (read_all_orders beyond 60 days), and if not why, in words. */
  historyAccess(opts: ShopCredentials & { from: Date | string; now?: number }): Promise<HistoryAccess> {
    return historyAccess(this, opts);
  }

  /** Back-off before retrying `error`, or null when it is not worth retrying (or retries are spent). */
  private retryWait(error: unknown, attempt: number): number | null {
    if (attempt >= (this.opts.maxRetries ?? 5)) return null;
    const backoff = (this.opts.retryBaseMs ?? 500) * 2 ** attempt;
    if (error instanceof HttpThrottlingError) return error.response.retryAfter !== undefined ? error.response.retryAfter * 1000 : backoff;
    if (error instanceof HttpRetriableError || error instanceof HttpRequestError) return backoff;
    return null;
  }

  private failure(error: unknown, shop: string): ShopifyAdminError {
    if (error instanceof HttpResponseError) {
      const code = error.response.code;
      const what = code === 401 ? 'the access token was refused (revoked, or the app uninstalled)'
        : code === 402 ? 'the shop is frozen (unpaid)' : code === 403 ? 'access denied' : code === 404 ? 'no such shop or API version' : `HTTP ${code}`;
      return new ShopifyAdminError(`Shopify answered ${shop}: ${what}`, `http_${code}`);
    }
    return new ShopifyAdminError(`Shopify could not be reached for ${shop}: ${(error as Error).message}`, 'network');
  }
}
