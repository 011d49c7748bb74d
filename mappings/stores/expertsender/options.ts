import type { OrderStatus } from '../../../src/core/canonical/index.ts';
import type { EsMatchBy, EsOrderStatus } from './types.ts';

/** The choices a merchant makes about how orders look in ExpertSender (the destination settings carry them). */
export interface ExpertSenderMappingOptions {
  /** ECDP website id of the shop, sent with every order when set. */
  websiteId?: number;
  /** Prepended to the platform order id, so several shops can share one business unit. */
  orderIdPrefix: string;
  /** Which line-item id becomes products[].id (the id ECDP's product feed uses). */
  productId: 'product' | 'variant' | 'sku';
  /** Send orderAttributes / productAttributes (names must be accepted by the business unit). */
  sendAttributes: boolean;
  /** Overrides of the default canonical → ECDP status table. */
  statusMap: Partial<Record<OrderStatus, EsOrderStatus>>;
  /** 'put' = status-only changes go to PUT /orders/status; 'full' = always POST AddOrReplace. */
  statusUpdates: 'put' | 'full';
  /** Prepended to the platform customer id (crmId); null = orderIdPrefix: shops sharing a business unit share customer ids. */
  customerIdPrefix: string | null;
  /** Send the platform customer id as `customer.crmId`; off when the business unit's CRM ids come from elsewhere (an ERP). */
  sendCrmId: boolean;
  /** Customer key ECDP matches on; the mapping requires that field. Absent = business-unit default. */
  matchBy?: EsMatchBy;
}

export const DEFAULT_MAPPING_OPTIONS: ExpertSenderMappingOptions = {
  orderIdPrefix: '',
  customerIdPrefix: null,
  productId: 'product',
  sendAttributes: true,
  sendCrmId: true,
  statusMap: {},
  statusUpdates: 'put',
};
