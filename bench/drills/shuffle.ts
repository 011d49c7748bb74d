// Shuffle-and-duplicate drill: one stream of order versions applied in order, and the same stream shuffled with 20 % of it sent
// twice, each through the real writer (order guard, receipts, outbox) and delivery engine to its own Engage simulator: both
// stores must end in the same state, every order at its newest version.
import { startEngageSimulator, type RunningEngageSimulator } from '../../connectors/stores/engage/simulator/index.ts';
import { createHarness, orderChange, storeOrder, versionOfTotal } from '../../test/stores/harness.ts';
import { eventually } from '../../test/support/shopifySender.ts';
import { figure, sleep, type DrillResult } from './drill.ts';

type Change = { id: string; version: number };

async function deliverStream(stream: Change[]): Promise<RunningEngageSimulator> {
  const sim = await startEngageSimulator({ maxOrderAgeDays: 0, requestsPerSecond: null });
  const h = await createHarness();
  try {
    await h.addDestination('engage', { baseUrl: sim.url, maxOrderAgeDays: 0 }, sim.token, { requestsPerSecond: 0 });
    const engine = h.engine({ options: { pollMs: 10 } });
    engine.start();
    // Webhook-sized commits while delivery runs, so versions of one order meet in flight.
    for (let i = 0; i < stream.length; i += 10) {
      h.apply(stream.slice(i, i + 10).map(({ id, version }) => orderChange(storeOrder(id, version), version === 1 ? ['order.created'] : ['order.updated'])));
      engine.nudge();
      await sleep(1);
    }
    await eventually(async () => (h.storage.outbox.count() === 0 ? true : undefined), 60_000, 'an empty outbox');
    await engine.stop();
    return sim;
  } finally {
    h.close();
  }
}

export async function shuffleDrill(opts: { orders: number; versions: number; duplicateShare?: number; seed?: number }): Promise<DrillResult> {
  let seed = opts.seed ?? 5;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 0x100000000);
  const ids = Array.from({ length: opts.orders }, (_, i) => String(700_000 + i));
  const ordered: Change[] = [];
  for (let version = 1; version <= opts.versions; version++) for (const id of ids) ordered.push({ id, version });
  const shuffled = [...ordered, ...ordered.filter(() => random() < (opts.duplicateShare ?? 0.2))];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const inOrder = await deliverStream(ordered);
  const mixed = await deliverStream(shuffled);
  try {
    const differ = ids.filter((id) => JSON.stringify(inOrder.orders.get(id)) !== JSON.stringify(mixed.orders.get(id))).length;
    const notNewest = ids.filter((id) => { const o = mixed.orders.get(id); return !o || versionOfTotal(o.order_value) !== opts.versions; }).length;
    return {
      drill: 'shuffle and duplicate',
      figures: [
        figure('versions sent (ordered / shuffled with duplicates)', `${ordered.length} / ${shuffled.length}`, `${Math.round(100 * (opts.duplicateShare ?? 0.2))} % more`, shuffled.length > ordered.length),
        figure('orders whose state differs from the ordered stream\'s', differ, '0', differ === 0),
        figure('orders not at their newest version', notNewest, '0', notNewest === 0),
      ],
    };
  } finally {
    await inOrder.close();
    await mixed.close();
  }
}
