// The fuzz drill's short form (bench/drills/fuzz.ts; `npm run drills` sends 10,000): ~1,000 fast-check hostile requests to
// each webhook route and the admin API in process (createApp), and a few hundred over HTTP to a spawned orderbridge.
import { expect, it } from 'vitest';
import { misses } from '../../bench/drills/drill.ts';
import { fuzzDrill } from '../../bench/drills/fuzz.ts';

it('hostile requests: no crash, no 5xx, every rejection a JSON error naming the problem, nothing stored unsigned', async () => {
  const result = await fuzzDrill({ inProcess: 1_000, overHttp: 300, seed: 2323 });
  console.info(result.figures.map((f) => `${f.name} ${f.value}`).join(', '));
  expect([...misses(result), ...(misses(result).length ? result.details ?? [] : [])]).toEqual([]);
}, 180_000);
