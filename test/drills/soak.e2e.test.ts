// The soak drill's short form (bench/drills/soak.ts; `npm run drills` runs 1,500/s for 10 minutes): 20 s of signed webhooks at
// 200/s into a spawned orderbridge delivering to Engage's simulator; every webhook acknowledged, none lost. RSS growth needs the
// long form's minutes to mean anything: printed here, judged there.
import { expect, it } from 'vitest';
import { misses } from '../../bench/drills/drill.ts';
import { soakDrill } from '../../bench/drills/soak.ts';

it('20 s of webhooks at 200/s: all acknowledged, all delivered, none lost', async () => {
  const result = await soakDrill({ rate: 200, seconds: 20, sliceSeconds: 5 });
  console.info(result.figures.map((f) => `${f.name} ${f.value}`).join(', '));
  expect(misses(result).filter((m) => !m.includes('RSS'))).toEqual([]);
}, 120_000);
