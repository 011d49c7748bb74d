// Spawned by test/logToFullDisk.test.ts: orderbridge's Node logger writing to stdout (redirected to a file under a file-size
// limit), far past the limit; says "survived" on stderr, then waits for a line on stdin (the limit lifted) and logs once more.
import { nodeLogger } from '../../src/node/nodeLogger.ts';

const logger = nodeLogger({ level: 'info', format: 'json' });
for (let i = 0; i < 5_000; i++) logger.info('filling the disk', { i, pad: 'x'.repeat(200) });
process.stderr.write('survived\n');
process.stdin.once('data', () => {
  logger.info('space returned');
  // The dropped lines' count is logged a turn later.
  setTimeout(() => process.exit(0), 50);
});
