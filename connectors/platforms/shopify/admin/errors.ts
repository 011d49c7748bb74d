import type { QueryCost } from './types.ts';

export interface ShopifyGraphqlError {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
}

/** What Shopify answered when it was not data: its words, never the token. */
export class ShopifyAdminError extends Error {
  override readonly name: string = 'ShopifyAdminError';
  constructor(
    message: string,
    /** THROTTLED, ACCESS_DENIED, MAX_COST_EXCEEDED, … or http_<status> / network / bulk_failed / missing_scope. */
    readonly code: string,
    readonly errors: ShopifyGraphqlError[] = [],
    readonly cost: QueryCost | null = null,
  ) {
    super(message);
  }
}

/** Orders older than 60 days asked for without the read_all_orders scope. */
export class MissingHistoryScopeError extends ShopifyAdminError {
  override readonly name = 'MissingHistoryScopeError';
  constructor(message: string, readonly oldestReadable: string) {
    super(message, 'missing_scope');
  }
}
