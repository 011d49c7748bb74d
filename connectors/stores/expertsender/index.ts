// ExpertSender ECDP orders: the store's manifest, as connectors/index.ts lists it.
import type { StoreManifest } from '../../manifest.ts';
import { checkExpertSenderConnection } from './checkConnection.ts';
import { deliverToExpertSender } from './deliver.ts';
import { prepareExpertSender } from './prepare.ts';
import { ES_MAX_BATCH, ExpertSenderSettings } from './settings.ts';

export { ExpertSenderSettings } from './settings.ts';

export const expertsenderStore: StoreManifest<ExpertSenderSettings> = {
  role: 'store',
  kind: 'expertsender',
  title: 'ExpertSender ECDP',
  readme: 'connectors/stores/expertsender/README.md',
  settingsSchema: ExpertSenderSettings,
  requiresSecret: true,
  // the engine may hand up to this many; deliver() sends them settings.batchSize per call
  batchSize: ES_MAX_BATCH,
  // unconfirmed by the vendor: a conservative ceiling, overridable per destination
  requestsPerSecond: 10,
  timeoutMs: 15_000,
  // A resend overwrites by order id, so a late-applied stale write is healed by resending the newest.
  reassertsAfterUncertainWrites: true,
  checkConnection: checkExpertSenderConnection,
  deliver: deliverToExpertSender,
  prepare: prepareExpertSender,
  simulator: {
    name: 'expertsender',
    what: 'ExpertSender ECDP orders (x-api-key)',
    start: async (options) => (await import('./simulator/entry.ts')).startExpertSenderStore(options),
  },
};
