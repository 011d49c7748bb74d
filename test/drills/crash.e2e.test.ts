// The crash drill's short form (bench/drills/crash.ts; `npm run drills` runs the long one): webhooks with updates, kill -9
// three times at random moments, restart on the same file; every acknowledged webhook's newest version ends at the store.
import { expect, it } from 'vitest';
import { crashDrill } from '../../bench/drills/crash.ts';
import { misses } from '../../bench/drills/drill.ts';

it('kill -9 three times under webhook load: nothing acknowledged is lost, nothing stale stays', async () => {
  const result = await crashDrill({ kills: 3, orders: 40, senders: 8, runMs: [1_000, 2_500], seed: 7 });
  console.info(result.figures.map((f) => `${f.name} ${f.value}`).join(', '));
  expect(misses(result)).toEqual([]);
  expect(Number(result.figures.find((f) => f.name === 'webhooks acknowledged')!.value)).toBeGreaterThan(10);
}, 150_000);
