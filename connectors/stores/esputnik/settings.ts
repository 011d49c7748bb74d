import { z } from 'zod';
import { fnv1a64 } from '../../../mappings/stores/esputnik/index.ts';
import type { DestinationContext } from '../../../src/core/delivery/destination.ts';
import { httpUrl, settingsObject } from '../../../src/core/delivery/storeSettings.ts';
import { EsputnikClient } from './client.ts';

export const ESPUTNIK_BASE_URL = 'https://esputnik.com/api';

/** The esputnik-orders kind, whose v1/orders budget the events kind's contact imports share. */
export const ESPUTNIK_ORDERS_KIND = 'esputnik-orders';

/** Documented: 200 req/s for orders and all other non-event methods on one key. */
export const ESPUTNIK_ORDERS_PER_SECOND = 200;

/** Settings both eSputnik kinds share; the API key is the destination's secret, never a setting. */
export const sharedSettings = {
  baseUrl: httpUrl().default(ESPUTNIK_BASE_URL),
  /** Basic-auth user name; eSputnik ignores it, but some proxies log it. */
  userName: z.string().min(1).max(100).default('orderbridge'),
  /** Prepended to platform order ids when several shops share one eSputnik account. */
  orderIdPrefix: z.string().max(40).default(''),
  /** Prepended to platform customer ids (externalCustomerId); null = orderIdPrefix. */
  customerIdPrefix: z.string().max(40).nullable().default(null),
  /** DELIVERED makes fulfilled orders count as revenue in eSputnik (RFM); IN_PROGRESS waits for completion. */
  fulfilledStatus: z.enum(['DELIVERED', 'IN_PROGRESS']).default('DELIVERED'),
  /** Shopify/WooCommerce test orders would put fake purchases (and their workflows) into eSputnik. */
  sendTestOrders: z.boolean().default(false),
  /** Image for lines the shop sends without one (Shopify's never carry one); unset, the item's url stands in. */
  itemImageUrl: httpUrl().nullable().default(null),
};

export type SharedSettings = z.infer<z.ZodObject<typeof sharedSettings>>;

export const esputnikOrdersSettings = settingsObject({
  ...sharedSettings,
  /** Items are optional in v1/orders; switch off to send totals only. */
  sendItems: z.boolean().default(true),
});
export type EsputnikOrdersSettings = z.infer<typeof esputnikOrdersSettings>;

/** Rate group for one API key: a fingerprint, so the key itself never appears in logs or metrics. */
export function keyRateGroup(_settings: unknown, secret: string): string {
  return `key-${fnv1a64(secret)}`;
}

export function clientFor(ctx: DestinationContext<SharedSettings>): EsputnikClient {
  return new EsputnikClient({
    baseUrl: ctx.settings.baseUrl, userName: ctx.settings.userName, apiKey: ctx.secret, fetch: ctx.fetch,
  });
}
