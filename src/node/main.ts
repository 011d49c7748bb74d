import { systemClock } from '../core/clock.ts';
import type { Logger } from '../core/observability/logger.ts';
import { readConfig, type NodeConfig } from './config.ts';
import { nodeLogger } from './nodeLogger.ts';
import { startNode, type RunningNode } from './server.ts';

// `npm start`, and `orderbridge serve` (which imports this module): embedded defaults, no account anywhere needed.
let config: NodeConfig;
let logger: Logger;
let running: RunningNode;
try {
  config = readConfig();
  logger = nodeLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  running = await startNode(config, systemClock, { logger });
} catch (error) {
  // A configuration mistake is a sentence for the operator, not a stack trace.
  console.error(`[orderbridge] cannot start: ${(error as Error).message}`);
  process.exit(1);
}
logger.info(`listening on ${running.url} (database ${config.DATABASE_PATH}; ${running.preparationThreads} preparation thread(s))`, {
  url: running.url, database: config.DATABASE_PATH, preparationThreads: running.preparationThreads,
});
if (config.DESTINATION_KIND) {
  logger.info(`DESTINATION_KIND=${config.DESTINATION_KIND}: every shop also delivers to <shop id>:${config.DESTINATION_KIND}, configured by the environment`);
}
if (!config.ADMIN_TOKEN) logger.warn('ADMIN_TOKEN is not set: /api answers 401 until you set it');
if (!config.SHOPIFY_API_SECRET) logger.warn('SHOPIFY_API_SECRET is not set: Shopify webhooks answer 503 not_configured (Shopify retries them)');

let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (++signals > 1) process.exit(1);
    logger.info(`${signal}: finishing requests and the current delivery batch`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  });
}
