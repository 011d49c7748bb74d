import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full collection between a benchmark's phases, so neither pays for the garbage the one before left
// (the simulator's reset drops 100,000 orders; the queue fill leaves its own).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function collectGarbage(): void {
  gc();
}
