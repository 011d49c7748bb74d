// The simulator as the registry starts it (orderbridge simulate, the store test matrix, bench/deliver).
import type { RunningStoreSimulator, StoreSimulatorOptions } from '../../../manifest.ts';
import { startExpertSenderSimulator } from './index.ts';

export async function startExpertSenderStore({ port, loadTest = false }: StoreSimulatorOptions): Promise<RunningStoreSimulator> {
  // Under load: no request ceiling, and the largest batches the store takes.
  const sim = await startExpertSenderSimulator({ port, ...(loadTest ? { requestsPerSecond: null } : {}) });
  return {
    url: sim.url,
    destination: { settings: { baseUrl: sim.url, ...(loadTest ? { batchSize: 100 } : {}) }, secret: sim.apiKey },
    accepted: () => sim.orders.size,
    reset: () => sim.reset(),
    close: () => sim.close(),
  };
}
