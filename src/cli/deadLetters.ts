import { Command, InvalidArgumentError } from 'commander';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { systemClock } from '../core/clock.ts';
import type { ReplayResult } from '../core/delivery/deadLetterBook.ts';
import { deadLetterPage } from '../core/delivery/queueViews.ts';
import { readConfig } from '../node/config.ts';
import type { OpenDatabase } from '../node/database.ts';
import { openExistingDatabase } from './existingDatabase.ts';
import { FULL_DESTINATION_ID } from '../core/shops/registry.ts';
import { createStorage } from '../core/storage.ts';
import { CliError, wholeNumber } from './cliError.ts';

/** The database DATABASE_PATH names; only DATABASE_PATH is read: a setting these commands do not use must not stop them. */
function openExisting(): OpenDatabase {
  return openExistingDatabase(readConfig({ DATABASE_PATH: process.env.DATABASE_PATH }).DATABASE_PATH);
}

/** A dead letter id, or "all"; several are collected into one list. */
function idOrAll(value: string, previous: Array<number | 'all'> = []): Array<number | 'all'> {
  if (value === 'all') return [...previous, 'all'];
  const id = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new InvalidArgumentError('dead letter ids are whole numbers (as `dead-letters list` shows them), or "all".');
  return [...previous, id];
}

function checkDestinationId(id: string | undefined): void {
  if (id !== undefined && !FULL_DESTINATION_ID.test(id)) throw new CliError(`--destination takes ${FULL_DESTINATION_ID.hint}`);
}

/** `orderbridge dead-letters list|replay`: works on DATABASE_PATH directly; a running server picks replays up at its next poll. */
export function deadLetterCommands(): Command {
  const cmd = new Command('dead-letters').description('list or replay rows a store refused (on the database at DATABASE_PATH)');
  const withStorage = async <T>(fn: (storage: ReturnType<typeof createStorage>) => T | Promise<T>): Promise<T> => {
    const database = openExisting();
    try {
      return await fn(createStorage(database, systemClock, { nextTurn }));
    } finally {
      database.close();
    }
  };
  cmd.command('list')
    .option('--destination <id>', 'only this destination')
    .option('--all', 'include replayed ones')
    .option('--limit <n>', 'how many', wholeNumber('--limit', 1), 50)
    .option('--after <id>', 'the page after this letter id (as the last page named it)', wholeNumber('--after', 0))
    .option('--json', 'print JSON: a page as GET /api/dead-letters gives it ({ items, nextAfter })')
    .action(async (opts: { destination?: string; all?: boolean; limit: number; after?: number; json?: boolean }) => {
      checkDestinationId(opts.destination);
      const rows = await withStorage((s) => s.deadLetters.list({
        destinationId: opts.destination, includeReplayed: !!opts.all, limit: opts.limit, afterId: opts.after,
      }));
      const page = deadLetterPage(rows, opts.limit);
      if (opts.json) {
        console.log(JSON.stringify(page, null, 2));
        return;
      }
      if (rows.length === 0) {
        console.log(`no dead letters${opts.destination ? ` for ${opts.destination}` : ''}${opts.after === undefined ? '' : ` after #${opts.after}`}`);
      }
      for (const r of rows) {
        console.log(`#${r.id}  ${new Date(r.createdAt).toISOString()}  ${r.destinationId}  ${r.orderKey}  attempts ${r.attempts}${r.replayedAt ? '  (replayed)' : ''}\n    ${r.error}`);
      }
      if (page.nextAfter !== null) console.log(`more: add --after ${page.nextAfter}`);
    });
  cmd.command('replay')
    .argument('<ids...>', 'dead letter ids, or "all"', idOrAll)
    .option('--destination <id>', 'with "all": only this destination')
    .action(async (ids: Array<number | 'all'>, opts: { destination?: string }) => {
      const all = ids.includes('all');
      if (all && ids.length > 1) throw new CliError('replay takes ids or "all", not both');
      if (!all && opts.destination !== undefined) throw new CliError('--destination goes with "all" (ids name their letters already)');
      checkDestinationId(opts.destination);
      await withStorage(async (s) => {
        const report = (id: number, r: ReplayResult) => {
          console.log(r.replayed ? `#${id} queued again for ${r.outboxOrderKey}` : `#${id}: ${r.reason.replaceAll('_', ' ')}`);
          if (!r.replayed) process.exitCode = 1;
        };
        if (!all) {
          for (const id of ids) if (id !== 'all') report(id, s.deadLetters.replay(id));
          return;
        }
        const { replayed, refused } = await s.deadLetters.replayAll(opts.destination, { onEach: report });
        if (replayed + refused === 0) console.log(opts.destination ? `no dead letters to replay for ${opts.destination}` : 'no dead letters to replay');
      });
    });
  return cmd;
}
