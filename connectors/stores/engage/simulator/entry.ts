// The simulator as the registry starts it (orderbridge simulate, the store test matrix, bench/deliver).
import type { RunningStoreSimulator, StoreSimulatorOptions } from '../../../manifest.ts';
import { ENGAGE_SIM_DEFAULT_TOKEN, startEngageSimulator } from './index.ts';

export async function startEngageStore({ port, loadTest = false }: StoreSimulatorOptions): Promise<RunningStoreSimulator> {
  // Under load: counts, not copies; no order-age check on either side; no request limit.
  const sim = await startEngageSimulator({ port, ...(loadTest ? { retain: false, maxOrderAgeDays: 0, requestsPerSecond: null } : {}) });
  return {
    url: sim.url,
    destination: { settings: { baseUrl: sim.url, ...(loadTest ? { maxOrderAgeDays: 0 } : {}) }, secret: ENGAGE_SIM_DEFAULT_TOKEN },
    accepted: () => sim.stats.accepted,
    reset: () => sim.reset(),
    close: () => sim.close(),
  };
}
