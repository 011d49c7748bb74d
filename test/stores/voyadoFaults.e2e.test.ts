// Done-criteria 2 and 4 for Voyado (own file, so it runs beside the batch stores): 200 orders × 3 versions through 30 % failures.
import { startVoyadoSimulator } from '../../connectors/stores/voyado/simulator/index.ts';
import { deliverUnderFaults, type StoreUnderLoad } from './faultRun.ts';
import { versionOfTotal } from './harness.ts';
import { voyadoVersions } from './versionLedger.ts';

const stores: StoreUnderLoad[] = [
  {
    // One order per request, each write followed by job polls (~4 requests an order): 200 orders keep the run to a few seconds.
    // The 50 req/s pace is lifted (destination ceiling 0, simulator limit raised); 8 lanes of 16-order batches, each
    // following 8 orders at once (more only add client timeouts: simulator and engine share one event loop).
    name: 'voyado (one order per request + job polls; pace lifted, 8 lanes)',
    read: voyadoVersions,
    orders: 200,
    engine: { lanesPerDestination: 8 },
    async start() {
      const sim = await startVoyadoSimulator({ port: 0, seed: 411, rateLimitPerSecond: 100_000 });
      return {
        kind: 'voyado', settings: { baseUrl: sim.baseUrl, jobPollIntervalMs: 2 }, secret: sim.apiKey, requestsPerSecond: 0,
        faults: sim.faults, close: sim.close,
        heldVersion: (id) => {
          const o = sim.orders.get(id) as { payments: { total: number } } | undefined;
          return o && versionOfTotal(o.payments.total);
        },
      };
    },
  },
];

deliverUnderFaults(stores);
