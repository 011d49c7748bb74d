import { GraphQLError } from 'graphql';
import type { BulkOperations } from './bulk.ts';
import { listConnection, OrderView, pageSize, type ConnectionArgs, type ViewContext } from './graphqlViews.ts';
import { gid, gidId, graphqlTime } from './model.ts';
import { CursorError, ORDER_SORT_KEYS, type OrderScan, type OrderSortKey, type SimOrderBook } from './orderBook.ts';
import { parseOrderQuery, SearchSyntaxError } from './searchQuery.ts';
import { topicPath, type SimSubscription, type SimWebhookSubscriptions } from './webhooks.ts';

// The root fields of the simulated Admin API: what each query and mutation answers, given the shop's state.

export interface RequestContext extends ViewContext {
  apiVersion: string;
  scopes: ReadonlySet<string>;
}

export interface ShopInfo {
  name: string;
  domain: string;
  email: string;
  currency: string;
  ianaTimezone: string;
  offsetMinutes: number;
}

export interface RootDeps {
  shop: ShopInfo;
  book: SimOrderBook;
  hooks: SimWebhookSubscriptions;
  bulk: () => BulkOperations;
  now: () => number;
}

const SIXTY_DAYS = 60 * 86_400_000;

/** read_all_orders or not: without it only the last 60 days of orders exist for the app. */
export function visibleFrom(scopes: ReadonlySet<string>, now: number): number {
  return scopes.has('read_all_orders') ? -Infinity : now - SIXTY_DAYS;
}

function requireScope(ctx: RequestContext, scope: string, field: string): void {
  if (ctx.scopes.has(scope) || (scope.startsWith('read_') && ctx.scopes.has(`write_${scope.slice(5)}`))) return;
  throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: `\`${scope}\` access scope.` },
  });
}

/** How an `orders(...)` field's arguments select orders; GraphQLError for what the simulator cannot read. */
export function orderScan(args: { sortKey?: unknown; reverse?: unknown; query?: unknown }, deps: RootDeps, ctx: RequestContext): OrderScan {
  const sortKey = (args.sortKey ?? 'ID') as OrderSortKey;
  if (!ORDER_SORT_KEYS.includes(sortKey)) throw new GraphQLError(`the simulator sorts orders by ${ORDER_SORT_KEYS.join(', ')}, not ${String(args.sortKey)}`);
  try {
    return {
      sortKey,
      reverse: args.reverse === true,
      filter: parseOrderQuery(args.query as string | null | undefined, deps.shop.offsetMinutes),
      visibleFromMs: visibleFrom(ctx.scopes, deps.now()),
    };
  } catch (error) {
    if (error instanceof SearchSyntaxError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_REQUEST' } });
    throw error;
  }
}

function subscriptionView(s: SimSubscription, apiVersion: string) {
  return {
    __typename: 'WebhookSubscription',
    id: s.id,
    topic: s.topic,
    uri: s.uri,
    callbackUrl: s.uri,
    endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: s.uri },
    format: s.format,
    includeFields: s.includeFields,
    filter: s.filter,
    apiVersion: { handle: apiVersion, displayName: apiVersion, supported: true },
    createdAt: graphqlTime(s.createdMs),
    updatedAt: graphqlTime(s.updatedMs),
  };
}

export function rootResolvers(deps: RootDeps) {
  const { book, hooks } = deps;
  const orderByGid = (id: string, ctx: RequestContext) => {
    const digits = gidId(id, 'Order');
    const index = digits === null ? null : book.indexOf(digits);
    if (index === null || book.createdMs(index) < visibleFrom(ctx.scopes, deps.now())) return null;
    return new OrderView(book.get(index));
  };
  const nodeByGid = (id: string, ctx: RequestContext) => {
    const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1];
    if (type === 'Order') {
      requireScope(ctx, 'read_orders', 'node');
      return orderByGid(id, ctx);
    }
    if (type === 'Refund') {
      requireScope(ctx, 'read_orders', 'node');
      const refundId = gidId(id, 'Refund');
      const index = refundId === null ? null : book.indexOfRefund(refundId);
      if (index === null || book.createdMs(index) < visibleFrom(ctx.scopes, deps.now())) return null;
      return new OrderView(book.get(index)).refundById(refundId!);
    }
    if (type === 'BulkOperation') {
      const op = deps.bulk().operations.get(id);
      return op ? deps.bulk().view(op) : null;
    }
    if (type === 'WebhookSubscription') {
      const s = hooks.subscriptions.get(id);
      return s ? subscriptionView(s, ctx.apiVersion) : null;
    }
    return null;
  };

  return {
    orders(args: ConnectionArgs & { sortKey?: string; query?: string | null }, ctx: RequestContext) {
      requireScope(ctx, 'read_orders', 'orders');
      const scan = orderScan(args, deps, ctx);
      const size = pageSize(args, ctx)!;
      let page;
      try {
        page = book.page(scan, size, args.after ?? null);
      } catch (error) {
        if (error instanceof CursorError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_REQUEST' } });
        throw error;
      }
      const nodes = page.indexes.map((i) => new OrderView(book.get(i)));
      return {
        edges: nodes.map((node, k) => ({ cursor: page.cursors[k], node })),
        nodes,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.hasPreviousPage,
          startCursor: page.cursors[0] ?? null,
          endCursor: page.cursors[page.cursors.length - 1] ?? null,
        },
      };
    },
    /** Orders matching the query, counted up to `limit` (null: all): above it, `AT_LEAST` the limit. */
    ordersCount(args: { query?: string | null; limit?: number | null }, ctx: RequestContext) {
      requireScope(ctx, 'read_orders', 'ordersCount');
      const limit = args.limit ?? Infinity;
      let count = 0;
      for (const _ of book.scan(orderScan({ query: args.query }, deps, ctx))) if (++count > limit) return { count: limit, precision: 'AT_LEAST' };
      return { count, precision: 'EXACT' };
    },
    order({ id }: { id: string }, ctx: RequestContext) {
      requireScope(ctx, 'read_orders', 'order');
      return orderByGid(id, ctx);
    },
    node: ({ id }: { id: string }, ctx: RequestContext) => nodeByGid(id, ctx),
    nodes: ({ ids }: { ids: string[] }, ctx: RequestContext) => ids.map((id) => nodeByGid(id, ctx)),
    shop: () => ({
      __typename: 'Shop',
      id: gid('Shop', '548380009'),
      name: deps.shop.name,
      email: deps.shop.email,
      myshopifyDomain: deps.shop.domain,
      currencyCode: deps.shop.currency,
      ianaTimezone: deps.shop.ianaTimezone,
      plan: { displayName: 'Simulator', partnerDevelopment: true, shopifyPlus: false },
    }),
    currentAppInstallation: (_: unknown, ctx: RequestContext) => ({
      __typename: 'AppInstallation',
      id: gid('AppInstallation', '1'),
      accessScopes: [...ctx.scopes].map((handle) => ({ handle, description: handle.replace('_', ' ') })),
      app: { __typename: 'App', id: gid('App', '1'), title: 'orderbridge', handle: 'orderbridge' },
    }),
    webhookSubscriptions(args: ConnectionArgs & { topics?: string[] | null; uri?: string | null; callbackUrl?: string | null; format?: string | null }, ctx: RequestContext) {
      const wanted = [...hooks.subscriptions.values()].filter((s) => (!args.topics || args.topics.includes(s.topic))
        && (!args.uri || s.uri === args.uri) && (!args.callbackUrl || s.uri === args.callbackUrl) && (!args.format || s.format === args.format));
      return listConnection(wanted.map((s) => subscriptionView(s, ctx.apiVersion)), args, ctx);
    },
    webhookSubscription: ({ id }: { id: string }, ctx: RequestContext) => {
      const s = hooks.subscriptions.get(id);
      return s ? subscriptionView(s, ctx.apiVersion) : null;
    },
    currentBulkOperation: () => {
      const op = deps.bulk().current();
      return op ? deps.bulk().view(op) : null;
    },
    bulkOperation: ({ id }: { id: string }) => {
      const op = deps.bulk().operations.get(id);
      return op ? deps.bulk().view(op) : null;
    },
    bulkOperationRunQuery({ query, groupObjects }: { query: string; groupObjects?: boolean | null }, ctx: RequestContext) {
      // 2026-01 made ungrouped output the default and allowed five concurrent bulk queries
      const since2026 = ctx.apiVersion === 'unstable' || ctx.apiVersion >= '2026-01';
      const started = deps.bulk().start(query, {
        groupObjects: groupObjects ?? !since2026,
        concurrency: since2026 ? 5 : 1,
        scanOrders: (args) => {
          requireScope(ctx, 'read_orders', 'orders');
          return book.scan(orderScan(args, deps, ctx));
        },
        context: ctx,
      });
      return 'op' in started
        ? { bulkOperation: deps.bulk().view(started.op), userErrors: [] }
        : { bulkOperation: null, userErrors: started.userErrors };
    },
    bulkOperationCancel: ({ id }: { id: string }) => {
      const op = deps.bulk().cancel(id);
      return op
        ? { bulkOperation: deps.bulk().view(op), userErrors: [] }
        : { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
    },
    webhookSubscriptionCreate({ topic, webhookSubscription }: { topic: string; webhookSubscription: Record<string, never> }, ctx: RequestContext) {
      const resource = topicPath(topic).split('/')[0]!;
      if (['orders', 'refunds', 'checkouts'].includes(resource) && !ctx.scopes.has('read_orders') && !ctx.scopes.has('write_orders')) {
        return { webhookSubscription: null, userErrors: [{ field: ['topic'], message: `Access denied for ${topicPath(topic)} topic: it needs the read_orders access scope` }] };
      }
      const created = hooks.create(topic, webhookSubscription);
      return 'subscription' in created
        ? { webhookSubscription: subscriptionView(created.subscription, ctx.apiVersion), userErrors: [] }
        : { webhookSubscription: null, userErrors: created.userErrors };
    },
    webhookSubscriptionDelete: ({ id }: { id: string }) =>
      hooks.delete(id)
        ? { deletedWebhookSubscriptionId: id, userErrors: [] }
        : { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] },
  };
}
