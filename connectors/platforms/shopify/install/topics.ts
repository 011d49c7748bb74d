// The webhook topics an install subscribes through the Admin API, as GraphQL spells them: the ones
// src/app/webhooks/shopify/change.ts acts on. The compliance topics (customers/data_request, customers/redact,
// shop/redact) cannot be subscribed through the API: they are the app's configuration (shopify.app.toml).
export const SHOPIFY_WEBHOOK_TOPICS = [
  'ORDERS_CREATE', 'ORDERS_UPDATED', 'ORDERS_PAID', 'ORDERS_FULFILLED', 'ORDERS_PARTIALLY_FULFILLED', 'ORDERS_CANCELLED',
  'ORDERS_DELETE', 'REFUNDS_CREATE', 'CHECKOUTS_CREATE', 'CHECKOUTS_UPDATE', 'APP_UNINSTALLED',
] as const;

export type ShopifyWebhookTopic = (typeof SHOPIFY_WEBHOOK_TOPICS)[number];

/** The offline access scopes an install asks for unless SHOPIFY_SCOPES says otherwise. */
export const DEFAULT_SHOPIFY_SCOPES = ['read_orders', 'read_customers'] as const;
