import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError } from './cliError.ts';
import { packageFile } from './packageFile.ts';
import { deadLetterCommands } from './deadLetters.ts';
import { resyncCommand } from './resync.ts';
import { sendSampleCommand } from './sendSample.ts';
import { simulateCommand } from './simulate.ts';

const { version } = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };

const program = new Command()
  .name('orderbridge')
  .description('Shopify and WooCommerce orders to your marketing platform, durably and in order.')
  .version(version, '-V, --version', 'print the version');

program.command('serve')
  .description('run the connector (same as npm start; configured by environment variables, see docs/configuration.md)')
  .action(async () => {
    // The one start path: src/node/main.ts is what `npm start` runs, its messages, hints and signal handling included.
    await import('../node/main.ts');
  });

program.addCommand(deadLetterCommands());
program.addCommand(simulateCommand());
program.addCommand(sendSampleCommand());
program.addCommand(resyncCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  console.error(`error: ${error.message}`);
  process.exitCode = error.exitCode;
}
