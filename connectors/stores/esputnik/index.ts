// eSputnik's two order stores, as connectors/index.ts lists them: they share the client, the key and the
// simulator, and split at the API seam (v1/orders, v1/event).
import type { StoreManifest } from '../../manifest.ts';
import { MAX_ORDERS_PER_REQUEST } from './client.ts';
import { deliverEsputnikEvents, esputnikEventsSettings, type EsputnikEventsSettings } from './events.ts';
import { deliverToEsputnikOrders } from './orders.ts';
import { prepareEsputnikOrder } from './prepare.ts';
import {
  ESPUTNIK_ORDERS_KIND, ESPUTNIK_ORDERS_PER_SECOND, esputnikOrdersSettings, keyRateGroup, type EsputnikOrdersSettings,
} from './settings.ts';

export { esputnikOrdersSettings, ESPUTNIK_BASE_URL, type EsputnikOrdersSettings } from './settings.ts';
export { esputnikEventsSettings, type EsputnikEventsSettings } from './events.ts';

const README = 'connectors/stores/esputnik/README.md';
const simulator = (kind: 'orders' | 'events') => ({
  name: 'esputnik',
  what: 'eSputnik orders and events (Basic auth, key as password)',
  start: async (options: { port?: number; loadTest?: boolean }) => (await import('./simulator/entry.ts')).startEsputnikStore(kind, options),
});

/** eSputnik v1/orders: each item's newest state is upserted by externalOrderId; deleted orders are deleted. */
export const esputnikOrdersStore: StoreManifest<EsputnikOrdersSettings> = {
  role: 'store',
  kind: ESPUTNIK_ORDERS_KIND,
  title: 'eSputnik orders (v1/orders)',
  readme: README,
  settingsSchema: esputnikOrdersSettings,
  requiresSecret: true,
  batchSize: MAX_ORDERS_PER_REQUEST,
  requestsPerSecond: ESPUTNIK_ORDERS_PER_SECOND,
  rateGroup: keyRateGroup,
  timeoutMs: 30_000,
  // A resend overwrites by order id, so a late-applied stale write is healed by resending the newest.
  reassertsAfterUncertainWrites: true,
  deliver: deliverToEsputnikOrders,
  prepare: prepareEsputnikOrder,
  simulator: simulator('orders'),
};

/** eSputnik v1/event: each lifecycle step becomes one event request, in order, per order. */
export const esputnikEventsStore: StoreManifest<EsputnikEventsSettings> = {
  role: 'store',
  kind: 'esputnik-events',
  title: 'eSputnik events (v1/event)',
  readme: README,
  settingsSchema: esputnikEventsSettings,
  requiresSecret: true,
  // One request per event: a batch is only a unit of work, not a request body.
  batchSize: 50,
  // Documented: 350 req/s for events on one key (its own budget, apart from v1/orders). The contact imports
  // and cart deletions go through v1/orders, in the 200 req/s it shares with esputnik-orders (ordersBudget).
  requestsPerSecond: 350,
  rateGroup: keyRateGroup,
  timeoutMs: 15_000,
  deliver: deliverEsputnikEvents,
  simulator: simulator('events'),
};
