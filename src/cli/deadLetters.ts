import { Command } from 'commander';
import { systemClock } from '../clock.ts';
import { readConfig } from '../node/config.ts';
import { openDatabase } from '../state/database.ts';
import { createStorage } from '../state/storage.ts';

/** `orderbridge dead-letters list|replay`: works on DATABASE_PATH directly; a running server picks replays up at its next poll. */
export function deadLetterCommands(): Command {
  const cmd = new Command('dead-letters').description('list or replay rows a store refused');
  const withStorage = <T>(fn: (storage: ReturnType<typeof createStorage>) => T): T => {
    const database = openDatabase(readConfig().DATABASE_PATH);
    try {
      return fn(createStorage(database, systemClock));
    } finally {
      database.close();
    }
  };
  cmd.command('list')
    .option('--destination <id>', 'only this destination')
    .option('--all', 'include replayed ones')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action((opts: { destination?: string; all?: boolean; limit: string; json?: boolean }) => {
      const rows = withStorage((s) => s.deadLetters.list({ destinationId: opts.destination, includeReplayed: !!opts.all, limit: Number(opts.limit) }));
      if (opts.json) {
        console.log(JSON.stringify(rows.map(({ order: _o, customer: _c, ...rest }) => rest), null, 2));
        return;
      }
      if (rows.length === 0) console.log('no dead letters');
      for (const r of rows) {
        console.log(`#${r.id}  ${new Date(r.createdAt).toISOString()}  ${r.destinationId}  ${r.orderKey}  attempts ${r.attempts}${r.replayedAt ? '  (replayed)' : ''}\n    ${r.error}`);
      }
    });
  cmd.command('replay')
    .argument('<ids...>', 'dead letter ids, or "all"')
    .option('--destination <id>', 'with "all": only this destination')
    .action((ids: string[], opts: { destination?: string }) => {
      withStorage((s) => {
        const chosen = ids.includes('all')
          ? s.deadLetters.list({ destinationId: opts.destination, limit: 100_000 }).map((r) => r.id)
          : ids.map(Number);
        for (const id of chosen) {
          const r = s.deadLetters.replay(id);
          console.log(r.replayed ? `#${id} queued again for ${r.outboxOrderKey}` : `#${id}: ${r.reason.replace('_', ' ')}`);
          if (!r.replayed) process.exitCode = 1;
        }
      });
    });
  return cmd;
}
