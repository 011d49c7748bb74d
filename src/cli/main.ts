import { Command } from 'commander';
import { readConfig } from '../node/config.ts';
import { deadLetterCommands } from './deadLetters.ts';
import { simulateCommand } from './simulate.ts';

const program = new Command()
  .name('orderbridge')
  .description('Shopify and WooCommerce orders to your marketing platform, durably and in order.');

program.command('serve')
  .description('run the connector (same as npm start; configured by environment variables, see README)')
  .action(async () => {
    const { startNode } = await import('../node/server.ts');
    const config = readConfig();
    const running = await startNode(config);
    console.log(`[orderbridge] listening on ${running.url} (database ${config.DATABASE_PATH})`);
    const stop = () => running.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program.addCommand(deadLetterCommands());
program.addCommand(simulateCommand());

await program.parseAsync(process.argv);
