export { createShopifySimulator, startShopifySimulator, SHOPIFY_SIM_DEFAULT_SCOPES } from './simulator.ts';
export type { RunningShopifySimulator, ShopifySimulator, ShopifySimulatorOptions } from './simulator.ts';
export type { OrderChange } from './changes.ts';
export type { SimOrder } from './model.ts';
export { PLAN_RESTORE_RATES } from './bucket.ts';
export { signShopifyBody, topicPath } from './webhooks.ts';
