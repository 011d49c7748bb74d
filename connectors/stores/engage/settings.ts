// Public settings of an Engage destination (the bearer token is the destination's secret, kept apart).
import { z } from 'zod';
import { settingsObject, httpUrl } from '../../../src/core/delivery/storeSettings.ts';
import { ENGAGE_BASE_URL } from './client.ts';

const statusText = z.string().min(1);

export const EngageSettings = settingsObject({
  baseUrl: httpUrl().default(ENGAGE_BASE_URL),
  /** Engage keeps the last 2 years; older orders are dead-lettered locally with a clear reason. 0 = let Engage decide. */
  maxOrderAgeDays: z.number().int().min(0).default(730),
  /** Shopify/WooCommerce test orders would teach the recommendation engine fake purchases. */
  sendTestOrders: z.boolean().default(false),
  /** Overrides of the canonical status → Engage `status` text (see README). */
  statuses: settingsObject({
    placed: statusText, paid: statusText, fulfilled: statusText, completed: statusText,
    cancelled: statusText, refunded: statusText, deleted: statusText,
  }).partial().default({}),
});
export type EngageSettings = z.infer<typeof EngageSettings>;
