// The simulator as the registry starts it (orderbridge simulate, the store test matrix, bench/deliver).
import type { RunningStoreSimulator, StoreSimulatorOptions } from '../../../manifest.ts';
import { EXPERTSENDER_SIM_RATE_LIMIT, startExpertSenderSimulator } from './index.ts';

export async function startExpertSenderStore({ port, loadTest = false }: StoreSimulatorOptions): Promise<RunningStoreSimulator> {
  // The limit the connector assumes (unconfirmed) as the store's own; under load: no request ceiling, and the largest batches the store takes.
  const sim = await startExpertSenderSimulator({ port, requestsPerSecond: loadTest ? null : EXPERTSENDER_SIM_RATE_LIMIT });
  return {
    url: sim.url,
    destination: { settings: { baseUrl: sim.url, ...(loadTest ? { batchSize: 100 } : {}) }, secret: sim.apiKey },
    accepted: () => sim.orders.size,
    reset: () => sim.reset(),
    close: () => sim.close(),
  };
}
