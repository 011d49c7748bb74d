// The Shopify Admin GraphQL API for resync and install: paced by cost, paged or in bulk.
export { routeShopifyShop, routeEveryShopifyShop } from './runtime.ts';
export { countOrders } from './count.ts';
export { ShopifyAdmin, DEFAULT_API_VERSION, type ShopCredentials, type ShopifyAdminOptions, type Answer } from './client.ts';
export { ShopifyAdminError, MissingHistoryScopeError, type ShopifyGraphqlError } from './errors.ts';
export { CostPacer, throttleWaitMs, realClock, type PacerClock, type PacerStats, type QueryCost, type ThrottleStatus } from './pacer.ts';
export { estimateCost, CostModel } from './costEstimate.ts';
export { iterateOrders, completeOrder, rangeSearch, type IterateOrdersOptions, type OrderNode, type OrderRange, type OrdersPage } from './orders.ts';
export { runBulkOrders, type BulkCheckpoint, type BulkOperationInfo, type BulkOrdersPage, type RunBulkOrdersOptions } from './bulkOrders.ts';
export { joinBulkJsonl, BulkJoinError, type BulkShape, type JoinedObject, type JsonlPosition } from './bulkJoin.ts';
export { grantedScopes, historyAccess, requireHistoryAccess, type HistoryAccess } from './scopes.ts';
export { BULK_ORDER_SHAPE, bulkOrdersQuery, ordersPageQuery, DEFAULT_NESTED, type NestedPageSizes } from './documents.ts';
