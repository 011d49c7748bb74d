// Done-criteria 2 and 4: with 30 % of requests failing, 1,000 orders × 3 versions all arrive at their newest version, never out of order.
import { startEngageSimulator } from '../../connectors/stores/engage/simulator/index.ts';
import { startEsputnikSimulator } from '../../connectors/stores/esputnik/simulator/index.ts';
import { startExpertSenderSimulator } from '../../connectors/stores/expertsender/simulator/index.ts';
import { deliverUnderFaults, type StoreUnderLoad } from './faultRun.ts';
import { versionOfTotal } from './harness.ts';
import { engageVersions, esputnikVersions, expertsenderVersions } from './versionLedger.ts';

const stores: StoreUnderLoad[] = [
  {
    name: 'engage',
    read: engageVersions,
    async start() {
      const sim = await startEngageSimulator({ port: 0, seed: 332 });
      return {
        kind: 'engage', settings: { baseUrl: sim.url }, secret: sim.token, faults: sim.faults, close: sim.close,
        heldVersion: (id) => { const o = sim.orders.get(id); return o && versionOfTotal(o.order_value); },
      };
    },
  },
  {
    name: 'esputnik-orders',
    read: esputnikVersions,
    async start() {
      const sim = await startEsputnikSimulator({ port: 0, seed: 757 });
      return {
        kind: 'esputnik-orders', settings: { baseUrl: sim.baseUrl }, secret: 'esputnik-test-key', faults: sim.faults, close: sim.close,
        heldVersion: (id) => { const o = sim.orders.get(id); return o && versionOfTotal(o.totalCost as number); },
      };
    },
  },
  {
    name: 'expertsender (batchSize 100; the store paces itself to 10 requests/s)',
    read: expertsenderVersions,
    async start() {
      const sim = await startExpertSenderSimulator({ port: 0, seed: 895 });
      return {
        kind: 'expertsender', settings: { baseUrl: sim.url, batchSize: 100 }, secret: sim.apiKey, faults: sim.faults, close: sim.close,
        heldVersion: (id) => { const o = sim.orders.get(id); return o && versionOfTotal(o.totalValue); },
      };
    },
  },
];

deliverUnderFaults(stores);
