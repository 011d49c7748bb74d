// Shopify Admin GraphQL Order nodes → the canonical model (the same order the webhook mapping makes). Pure: no I/O.
export { mapShopifyGraphqlOrder } from './order.ts';
export { GraphqlOrder } from './wire.ts';
