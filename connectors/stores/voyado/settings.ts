// Public settings of a Voyado destination (the API key is the secret, kept apart).
import { z } from 'zod';
import {
  CONTACT_KEY_SOURCES, DEFAULT_VOYADO_ACTION_RULES, DEFAULT_VOYADO_STATUSES, VOYADO_ACTIONS, VOYADO_LIMITS, VOYADO_STATUSES,
  type VoyadoPlanOptions,
} from '../../../mappings/stores/voyado/index.ts';
import { settingsObject, httpUrl } from '../../../src/core/delivery/storeSettings.ts';
import { voyadoTenantUrl } from './client.ts';

/** Voyado wants a User-Agent naming the integration; orderbridge identifies itself unless the shop says otherwise. */
export const VOYADO_DEFAULT_USER_AGENT = 'orderbridge/0.1 (+https://github.com/orderbridge/orderbridge)';

const action = (fallback: (typeof VOYADO_ACTIONS)[number]) => z.enum(VOYADO_ACTIONS).nullable().default(fallback);
const MAPPABLE = ['placed', 'paid', 'fulfilled', 'completed', 'cancelled', 'refunded'] as const;

export const VoyadoSettings = settingsObject({
  /** `<tenant>` in https://<tenant>.voyado.com/api/v3. */
  tenant: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'a Voyado tenant name such as "mybrand" or "mybrand-staging"').optional(),
  /** Overrides the tenant URL (simulator, proxies). Include /api/v3. */
  baseUrl: httpUrl().optional(),
  userAgent: z.string().min(1).max(200).default(VOYADO_DEFAULT_USER_AGENT),
  /** Voyado asks integrations to stay under 50 requests/s per API key (job polls count too). */
  requestsPerSecond: z.number().positive().max(50).optional(),
  /** Engage store reference for the orders; null = the shop's domain. */
  externalStoreId: z.string().min(1).max(VOYADO_LIMITS.externalStoreId).nullable().default(null),
  channel: z.string().min(1).max(VOYADO_LIMITS.channel).default('Ecom'),
  /** Prepended to the platform order id, e.g. "se-" when several shops share one Engage tenant. */
  orderIdPrefix: z.string().max(50).default(''),
  /** Prepended to the platform customer id (ExternalId match key); null = orderIdPrefix. */
  customerIdPrefix: z.string().max(50).nullable().default(null),
  /** Contact match keys tried in order. */
  contactMatchKeys: z.array(z.enum(CONTACT_KEY_SOURCES)).min(1).default(['Email', 'MobilePhone']),
  /** Overrides of canonical status → v3 status. */
  statuses: z.partialRecord(z.enum(MAPPABLE), z.enum(VOYADO_STATUSES)).default({}),
  sendTestOrders: z.boolean().default(false),
  /** Master switch for order actions (only ever sent for live webhooks). */
  actionsEnabled: z.boolean().default(true),
  /** Which action each lifecycle step sends; null = none for that step. */
  actions: settingsObject({
    created: action(DEFAULT_VOYADO_ACTION_RULES.created!),
    fulfilled: action(DEFAULT_VOYADO_ACTION_RULES.fulfilled!),
    delivered: action(DEFAULT_VOYADO_ACTION_RULES.delivered!),
    cancelled: action(DEFAULT_VOYADO_ACTION_RULES.cancelled!),
    completed: action(DEFAULT_VOYADO_ACTION_RULES.completed!),
  }).prefault({}),
  /** Language tag for actions; null = the customer's locale. */
  actionLanguage: z.string().max(VOYADO_LIMITS.language).nullable().default(null),
  /** Job polling after each write: wait intervalMs between polls, give up (order accepted, outcome unseen) after maxPolls. */
  jobPollIntervalMs: z.number().int().min(0).max(60_000).default(1_000),
  jobMaxPolls: z.number().int().min(1).max(60).default(10),
}).refine((s) => s.tenant !== undefined || s.baseUrl !== undefined, { message: 'set tenant (or baseUrl)', path: ['tenant'] })
  .transform((s) => ({ ...s, baseUrl: s.baseUrl ?? voyadoTenantUrl(s.tenant!) }));
export type VoyadoSettings = z.output<typeof VoyadoSettings>;

export function planOptions(s: VoyadoSettings): VoyadoPlanOptions {
  return {
    externalStoreId: s.externalStoreId,
    channel: s.channel,
    orderIdPrefix: s.orderIdPrefix,
    customerIdPrefix: s.customerIdPrefix,
    matchKeyTypes: s.contactMatchKeys,
    statuses: { ...DEFAULT_VOYADO_STATUSES, ...s.statuses },
    actionsEnabled: s.actionsEnabled,
    actions: s.actions,
    language: s.actionLanguage,
    sendTestOrders: s.sendTestOrders,
  };
}
