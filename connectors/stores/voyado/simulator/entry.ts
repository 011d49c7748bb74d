// The simulator as the registry starts it (orderbridge simulate, the store test matrix, bench/deliver).
import type { RunningStoreSimulator, StoreSimulatorOptions } from '../../../manifest.ts';
import { startVoyadoSimulator, VOYADO_SIM_DEFAULT_API_KEY } from './index.ts';

export async function startVoyadoStore({ port, loadTest = false }: StoreSimulatorOptions): Promise<RunningStoreSimulator> {
  // Under load: no rate limit, jobs done at the first poll, polled at once.
  const sim = await startVoyadoSimulator({ port, ...(loadTest ? { rateLimitPerSecond: 1e9, pendingPolls: 0 } : {}) });
  return {
    url: sim.url,
    destination: { settings: { baseUrl: sim.baseUrl, ...(loadTest ? { jobPollIntervalMs: 0 } : {}) }, secret: VOYADO_SIM_DEFAULT_API_KEY },
    accepted: () => sim.orders.size,
    reset: () => sim.reset(),
    close: () => sim.close(),
  };
}
