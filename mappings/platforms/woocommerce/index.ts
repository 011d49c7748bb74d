export { WooMappingError } from './errors.ts';
export { mapWooOrder, type WooOrderOptions } from './order.ts';
export { wooTopicEvents, readWooDeletedOrderId } from './events.ts';
export { mapWooCustomer } from './customer.ts';
export { WOO_STATUS_TABLE, canonicalStatus, financialStatus, fulfillmentStatus, normalizeWooStatus } from './status.ts';
export { wooAmounts } from './amounts.ts';
export type { WooOrder, WooCustomer, WooLineItem, WooAddress, WooMeta } from './wire.ts';
