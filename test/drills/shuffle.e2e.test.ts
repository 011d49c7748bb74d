// The shuffle-and-duplicate drill's short form (bench/drills/shuffle.ts): the same versions shuffled, 20 % sent twice, end in
// the same store state as the ordered stream.
import { expect, it } from 'vitest';
import { misses } from '../../bench/drills/drill.ts';
import { shuffleDrill } from '../../bench/drills/shuffle.ts';

it('a shuffled stream with 20 % duplicates ends where the ordered one does', async () => {
  const result = await shuffleDrill({ orders: 200, versions: 4, seed: 11 });
  console.info(result.figures.map((f) => `${f.name} ${f.value}`).join(', '));
  expect(misses(result)).toEqual([]);
}, 120_000);
