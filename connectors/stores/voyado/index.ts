// Voyado Engage orders v3: the store's manifest, as connectors/index.ts lists it.
import type { StoreManifest } from '../../manifest.ts';
import { deliverToVoyado, VOYADO_BATCH, voyadoRateGroup } from './deliver.ts';
import { VoyadoSettings } from './settings.ts';

export { VoyadoSettings } from './settings.ts';

export const voyadoStore: StoreManifest<VoyadoSettings> = {
  role: 'store',
  kind: 'voyado',
  title: 'Voyado Engage orders v3',
  readme: 'connectors/stores/voyado/README.md',
  settingsSchema: VoyadoSettings,
  requiresSecret: true,
  // Voyado takes one order per request; a batch is that many orders followed at once (see deliverToVoyado).
  batchSize: VOYADO_BATCH,
  // "Stay under 50 req/s"; Voyado answers 429 above 200 req/s per API key.
  requestsPerSecond: 50,
  rateGroup: voyadoRateGroup,
  timeoutMs: 15_000,
  // A resend overwrites by order id, so a late-applied stale write is healed by resending the newest.
  reassertsAfterUncertainWrites: true,
  deliver: deliverToVoyado,
  simulator: {
    name: 'voyado',
    what: 'Voyado Engage orders v3 (apikey header, 202 + jobs)',
    start: async (options) => (await import('./simulator/entry.ts')).startVoyadoStore(options),
  },
};
