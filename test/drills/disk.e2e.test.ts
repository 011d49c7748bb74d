// The disk and database drill's short form (bench/drills/disk.ts): a full disk (a soft `ulimit -f` on the spawned orderbridge)
// answers webhooks 503 and loses nothing, the same webhooks go through once the limit is lifted; a read-only or locked database
// stops the start with a sentence naming the file.
import { expect, it } from 'vitest';
import { diskDrill } from '../../bench/drills/disk.ts';
import { misses } from '../../bench/drills/drill.ts';

it('a full disk answers 503 and recovers; a locked or read-only database fails the start clearly', async () => {
  const result = await diskDrill({ refused: 20 });
  console.info(result.figures.map((f) => `${f.name} ${f.value}`).join(', '));
  expect(misses(result)).toEqual([]);
}, 120_000);
