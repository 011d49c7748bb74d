export { verifyWooSignature, signWooBody, readWooWebhook, wooReceiptKey, generateWebhookSecret, type WooWebhook } from './webhook.ts';
export { WooClient, WooApiError, toWooGmt, type WooClientOptions, type ListOrdersParams, type OrdersPage, type OrderRange, type OrderRangePage, type WooWebhookInfo } from './client.ts';
export { createWooSimulator, startWooSimulator, type WooSimulator, type WooSimulatorOptions, type RunningWooSimulator } from './simulator/index.ts';
export type { SimDelivery, SimWebhook } from './simulator/webhooks.ts';
export type { SimOrderInput, SimOrderPatch, SimLineInput } from './simulator/orders.ts';
