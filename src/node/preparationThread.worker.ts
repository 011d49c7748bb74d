// The preparation worker's entry: runs stores' pure preparations (src/delivery/preparations.ts) for the engine.
import { parentPort } from 'node:worker_threads';
import { PREPARATIONS } from '../delivery/preparations.ts';
import type { PrepareInput } from '../delivery/preparation.ts';

interface Request { id: number; kind: string; settings: never; inputs: PrepareInput[]; now: number }

parentPort!.on('message', ({ id, kind, settings, inputs, now }: Request) => {
  try {
    const prepare = PREPARATIONS[kind];
    if (!prepare) throw new Error(`no preparation for store kind ${kind}`);
    parentPort!.postMessage({ id, results: prepare(inputs, settings, now) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
