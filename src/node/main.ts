import { readConfig, type NodeConfig } from './config.ts';
import { startNode, type RunningNode } from './server.ts';

// `npm start`, and `orderbridge serve` (which imports this module): embedded defaults, no account anywhere needed.
let config: NodeConfig;
let running: RunningNode;
try {
  config = readConfig();
  running = await startNode(config);
} catch (error) {
  // A configuration mistake is a sentence for the operator, not a stack trace.
  console.error(`[orderbridge] cannot start: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`[orderbridge] listening on ${running.url} (database ${config.DATABASE_PATH}; ${running.preparationThreads} preparation thread(s))`);
if (config.DESTINATION_KIND) {
  console.log(`[orderbridge] DESTINATION_KIND=${config.DESTINATION_KIND}: every shop also delivers to <shop id>:${config.DESTINATION_KIND}, configured by the environment`);
}
if (!config.ADMIN_TOKEN) console.log('[orderbridge] ADMIN_TOKEN is not set: /api answers 401 until you set it');
if (!config.SHOPIFY_API_SECRET) console.log('[orderbridge] SHOPIFY_API_SECRET is not set: Shopify webhooks answer 503 not_configured (Shopify retries them)');

let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (++signals > 1) process.exit(1);
    console.log(`[orderbridge] ${signal}: finishing requests and the current delivery batch`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[orderbridge] shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  });
}
