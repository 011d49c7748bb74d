// Engage Order History: the store's manifest, as connectors/index.ts lists it.
import { ENGAGE_MAX_BATCH } from '../../../mappings/stores/engage/index.ts';
import type { StoreManifest } from '../../manifest.ts';
import { deliverToEngage } from './deliver.ts';
import { prepareEngageOrder } from './prepare.ts';
import { EngageSettings } from './settings.ts';

export { EngageSettings } from './settings.ts';

export const engageStore: StoreManifest<EngageSettings> = {
  role: 'store',
  kind: 'engage',
  title: 'Engage Order History',
  readme: 'connectors/stores/engage/README.md',
  settingsSchema: EngageSettings,
  requiresSecret: true,
  batchSize: ENGAGE_MAX_BATCH,
  // Undocumented limit: 100 requests of 250 = 25,000 orders/s, well inside what an App Engine API absorbs.
  requestsPerSecond: 100,
  timeoutMs: 30_000,
  // A resend overwrites by order id, so a late-applied stale write is healed by resending the newest.
  reassertsAfterUncertainWrites: true,
  deliver: deliverToEngage,
  prepare: prepareEngageOrder,
  simulator: {
    name: 'engage',
    what: 'Engage Order History (POST /v1/orders, Bearer token)',
    start: async (options) => (await import('./simulator/entry.ts')).startEngageStore(options),
  },
};
