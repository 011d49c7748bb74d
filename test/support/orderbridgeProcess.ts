import { afterAll } from 'vitest';
import { launchOrderbridge, removeCreatedDirectories, type OrderbridgeProcess } from './orderbridgeLauncher.ts';

export { ROOT, type OrderbridgeProcess } from './orderbridgeLauncher.ts';

// Tests restart servers on the same file and read it after a stop: the directories go after the test file.
afterAll(removeCreatedDirectories);

/** Starts orderbridge exactly as `npm start` does (the compiled dist/src/node/main.js), on a free loopback port. */
export function startOrderbridge(env: Record<string, string> = {}, databasePath?: string): Promise<OrderbridgeProcess> {
  return launchOrderbridge(env, databasePath);
}
