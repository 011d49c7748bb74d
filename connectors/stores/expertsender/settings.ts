import { z } from 'zod';
import { ORDER_STATUSES } from '../../../src/core/canonical/index.ts';
import {
  ES_MATCH_BY, ES_MAX_INT32, ES_ORDER_STATUSES, type ExpertSenderMappingOptions,
} from '../../../mappings/stores/expertsender/index.ts';
import { settingsObject, httpUrl } from '../../../src/core/delivery/storeSettings.ts';
import { ES_BASE_URL } from './client.ts';

/** Largest `data` array orderbridge will send in one POST /orders. The real limit is unconfirmed. */
export const ES_MAX_BATCH = 100;

/** Public settings of an ExpertSender destination (the API key is kept apart as the secret). */
export const ExpertSenderSettings = settingsObject({
  baseUrl: httpUrl().default(ES_BASE_URL),
  /** Orders per POST /orders. 1 = what the official plugins send; raise once the account's limit is known. */
  batchSize: z.number().int().min(1).max(ES_MAX_BATCH).default(1),
  websiteId: z.number().int().min(0).max(ES_MAX_INT32).optional(),
  matchBy: z.enum(ES_MATCH_BY).optional(),
  statusUpdates: z.enum(['put', 'full']).default('put'),
  orderIdPrefix: z.string().max(64).default(''),
  /** Prepended to the platform customer id (crmId); null = orderIdPrefix. */
  customerIdPrefix: z.string().max(64).nullable().default(null),
  productId: z.enum(['product', 'variant', 'sku']).default('product'),
  sendAttributes: z.boolean().default(true),
  /** Platform customer id as customer.crmId; off when the business unit's CRM ids come from another system. */
  sendCrmId: z.boolean().default(true),
  statusMap: z.partialRecord(z.enum(ORDER_STATUSES), z.enum(ES_ORDER_STATUSES)).default({}),
}).refine((s) => !(s.matchBy === 'CrmId' && !s.sendCrmId), {
  path: ['sendCrmId'], message: 'matchBy CrmId needs the crmId sent: sendCrmId cannot be false',
});
export type ExpertSenderSettings = z.output<typeof ExpertSenderSettings>;

export function mappingOptions(s: ExpertSenderSettings): ExpertSenderMappingOptions {
  const options: ExpertSenderMappingOptions = {
    orderIdPrefix: s.orderIdPrefix,
    customerIdPrefix: s.customerIdPrefix,
    productId: s.productId,
    sendAttributes: s.sendAttributes,
    sendCrmId: s.sendCrmId,
    statusMap: s.statusMap,
    statusUpdates: s.statusUpdates,
  };
  if (s.websiteId !== undefined) options.websiteId = s.websiteId;
  if (s.matchBy !== undefined) options.matchBy = s.matchBy;
  return options;
}
