// The simulator as the registry starts it (orderbridge simulate, the store test matrix, bench/deliver).
import type { RunningStoreSimulator, StoreSimulatorOptions } from '../../../manifest.ts';
import { DEFAULT_SIM_API_KEY, startEsputnikSimulator } from './index.ts';

/** One simulator plays both kinds; what it has taken is counted as the kind uses it (v1/orders, or orders built from events). */
export async function startEsputnikStore(kind: 'orders' | 'events', { port, loadTest = false }: StoreSimulatorOptions): Promise<RunningStoreSimulator> {
  const sim = await startEsputnikSimulator({ port, ...(loadTest ? { rateLimits: { events: 1e9, general: 1e9 } } : {}) });
  return {
    url: sim.url,
    destination: { settings: { baseUrl: sim.baseUrl }, secret: DEFAULT_SIM_API_KEY },
    accepted: () => (kind === 'orders' ? sim.orders.size : sim.eventOrders.size),
    reset: () => sim.state.reset(),
    close: () => sim.close(),
  };
}
