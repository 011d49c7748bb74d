// The shapes the Admin client and the order readers share. The readers take the client as an AdminApi, so they
// import no client and the client imports them without a circle.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface ShopCredentials {
  /** The shop's myshopify domain. */
  shop: string;
  /** Its Admin API access token (offline, or a custom app's). */
  token: string;
}

export interface QueryOptions {
  /** The variable that sizes the query's paged connection (its cost grows with it), e.g. "first". */
  pageVariable?: string;
}

export interface Answer<T> {
  data: T;
  cost: QueryCost | null;
}

/** What the order readers (orders, scopes, bulk operations) use of the client; ShopifyAdmin is one. */
export interface AdminApi {
  query<T>(creds: ShopCredentials, document: string, variables?: Record<string, unknown>, opts?: QueryOptions): Promise<Answer<T>>;
  pageSize(shop: string, document: string, pageVariable: string, cap: number, variables?: Record<string, unknown>): number;
  pacer(shop: string): { readonly lastStatus: ThrottleStatus | null };
}
