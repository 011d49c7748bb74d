// Shopify payloads → the canonical model. Pure: no I/O.
export { ShopifyMappingError } from './errors.ts';
export { mapShopifyOrder, readShopifyDeletedOrderId } from './order.ts';
export { mapShopifyCheckout } from './checkout.ts';
export { applyShopifyRefund, readShopifyRefundOrderId } from './refund.ts';
export { shopifyTopicEvents } from './events.ts';
export { shopifyOrderStatus } from './status.ts';
