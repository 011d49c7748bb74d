import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { CliError } from './cliError.ts';
import type { DirectResync, ResyncCall } from './resyncDirect.ts';

// `orderbridge resync <shop> --from --to …`, `resync status [id]`, `resync cancel <id>`, `resync follow <id>`: through
// the running server's admin API (ORDERBRIDGE_URL, else http://127.0.0.1:$PORT; ADMIN_TOKEN), or, when nothing
// answers there, on the database directly (resyncDirect.ts). A resync is followed with a progress bar on a terminal
// and plain lines otherwise; Ctrl-C stops following, not the job (on the database directly: stops it, resumable).

interface ResyncView {
  id: number; shop: string; state: string; pages: number; lastError: string | null; reconcile?: boolean;
  range: { from: string; to: string; by: string };
  orders: { total: number | null; seen: number; queued: number; unchanged: number; failed: number };
  rate: number; etaSeconds: number | null; startedAt: string | null; finishedAt: string | null;
}

const ENDED = new Set(['done', 'failed', 'cancelled']);
const n = (v: number) => v.toLocaleString('en-US');

function server(): { url: string; token: string | undefined } {
  const url = process.env.ORDERBRIDGE_URL ?? `http://127.0.0.1:${process.env.PORT || 8787}`;
  return { url: url.replace(/\/$/, ''), token: process.env.ADMIN_TOKEN };
}

/** Nothing listens at the server's address: the one failure after which the database is opened directly. */
class NoServer extends CliError {}

/** The admin API over HTTP; `answered` once the server answered anything (a server gone after that is an error). */
function serverCall(): { call: ResyncCall; answered: () => boolean } {
  let answered = false;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const { url, token } = server();
    let res: Response;
    try {
      res = await fetch(`${url}/api${path}`, {
        method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      const Failure = refused && !answered ? NoServer : CliError;
      throw new Failure(`no orderbridge answers at ${url} (${(error as Error).message}); start it, or set ORDERBRIDGE_URL`);
    }
    answered = true;
    const json = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
    if (!res.ok) throw new CliError(`${res.status} ${json.error ?? ''}: ${json.message ?? 'no message'}`);
    return json as T;
  };
  return { call, answered: () => answered };
}

/** Where a command's calls go: the server, or the database when the first call found no server. */
interface Target { call: ResyncCall; direct: DirectResync | null }

/**
 * Runs `work` against the server; when its first call finds nothing listening, against the database directly
 * (`runJobs`: this process runs the jobs, so it takes the database's delivery lease first).
 */
async function onServerOrDatabase<T>(runJobs: boolean, work: (target: Target) => Promise<T>): Promise<T> {
  const http = serverCall();
  try {
    return await work({ call: http.call, direct: null });
  } catch (error) {
    if (!(error instanceof NoServer) || http.answered()) throw error;
  }
  const { openDirect } = await import('./resyncDirect.ts');
  const direct = await openDirect({ serverUrl: server().url, runJobs });
  console.error(`no orderbridge answers at ${server().url}: working on the database at ${direct.databasePath} directly`);
  try {
    return await work({ call: direct.call, direct });
  } finally {
    await direct.close();
  }
}

/** One line: where it is and how fast it goes. */
export function progressLine(r: ResyncView): string {
  const o = r.orders;
  const eta = r.etaSeconds === null ? '' : `, ETA ${r.etaSeconds}s`;
  return `resync ${r.id} ${r.state}: ${r.pages} pages, ${n(o.seen)}${o.total === null ? '' : `/${n(o.total)}`} orders `
    + `(queued ${n(o.queued)}, unchanged ${n(o.unchanged)}, failed ${n(o.failed)}), ${r.rate}/s${eta}${r.lastError ? `; last error: ${r.lastError}` : ''}`;
}

/** The end, in words. */
export function summaryLine(r: ResyncView): string {
  const took = r.startedAt && r.finishedAt ? ` in ${Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 100) / 10}s` : '';
  const o = r.orders;
  return `resync ${r.id} of ${r.shop} ${r.state}${took}: ${n(o.seen)} orders read in ${r.pages} pages, ${n(o.queued)} queued for the stores, `
    + `${n(o.unchanged)} unchanged, ${n(o.failed)} failed${r.lastError ? ` (${r.lastError})` : ''}`;
}

/** Polls the job until it ends (or Ctrl-C): a bar on a terminal, a line each time it moves otherwise. */
async function follow({ call, direct }: Target, id: number, pollMs: number): Promise<{ view: ResyncView; interrupted: boolean }> {
  const tty = process.stdout.isTTY === true;
  const bar = tty ? new cliProgress.SingleBar({
    format: 'resync {id} |{bar}| {value}/{total} orders | {pages} pages | {rate}/s | ETA {eta}s',
    hideCursor: true, clearOnComplete: false,
  }, cliProgress.Presets.shades_classic) : null;
  let stopped = false;
  const onInterrupt = () => {
    stopped = true;
  };
  // Once: a second Ctrl-C ends the process at once (a job stopped that way resumes from its last committed page all the same).
  process.once('SIGINT', onInterrupt);
  let last = '';
  try {
    for (;;) {
      const r = await call<ResyncView>('GET', `/resync/${id}`);
      if (bar) {
        const total = r.orders.total ?? Math.max(r.orders.seen, 1);
        const payload = { id: r.id, pages: r.pages, rate: r.rate, eta: r.etaSeconds ?? '?' };
        if (last === '') bar.start(total, r.orders.seen, payload);
        else {
          bar.setTotal(Math.max(total, r.orders.seen));
          bar.update(r.orders.seen, payload);
        }
        last = 'started';
      } else {
        const line = progressLine(r);
        if (line !== last) console.log(line);
        last = line;
      }
      if (ENDED.has(r.state)) {
        bar?.stop();
        return { view: r, interrupted: false };
      }
      if (stopped) {
        bar?.stop();
        if (direct) {
          console.log(`stopped: resync ${id} stays ${r.state} in ${direct.databasePath} and resumes from its last committed page (${r.pages} pages read) `
            + `when orderbridge starts on this database (npm start), or with orderbridge resync follow ${id}`);
        } else {
          console.log(`stopped following; resync ${id} goes on (orderbridge resync status ${id}, orderbridge resync cancel ${id})`);
        }
        return { view: r, interrupted: true };
      }
      if (direct?.halted) {
        bar?.stop();
        throw new CliError(`resync ${id} stopped running here: ${direct.halted}, which goes on with it`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** Follows a job to its end and says how it ended (in this process when on the database: it runs the job meanwhile). */
async function followToEnd(target: Target, id: number, pollMs: number): Promise<void> {
  target.direct?.run();
  const { view, interrupted } = await follow(target, id, pollMs);
  if (ENDED.has(view.state)) console.log(summaryLine(view));
  if (target.direct && view.state === 'done' && view.orders.queued > 0) {
    console.log(`the orders queued wait in ${target.direct.databasePath} for orderbridge to deliver them (npm start)`);
  }
  if (interrupted && target.direct) process.exitCode = 130;
  if (view.state === 'failed' || view.state === 'cancelled') process.exitCode = 1;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function resyncCommand(): Command {
  return new Command('resync')
    .description('read a shop\'s orders of a date range again from its platform and send them to its stores (through the running server, '
      + 'or on the database at DATABASE_PATH when none answers)')
    .argument('<shop>', 'the shop id (shopify:x.myshopify.com, woocommerce:host), or "status" [id], "cancel" <id>, "follow" <id>')
    .argument('[id]', 'with status, cancel or follow: the resync id')
    .option('--from <date>', 'the range\'s start, inclusive: 2025-01-01 or an ISO date-time')
    .option('--to <date>', 'the range\'s end, exclusive')
    .addOption(new Option('--by <date>', 'which date the range is on').choices(['created', 'updated']).default('created'))
    .option('--destination <id>', 'only this destination (again for more); default every destination of the shop', collect)
    .option('--force', 'send orders the stores already have as they are')
    .option('--no-follow', 'start it and print its id, without following it')
    .option('--poll <ms>', 'how often to look at its progress', (v) => Number(v), 1000)
    .action(async (shop: string, id: string | undefined, opts: { from?: string; to?: string; by: string; destination?: string[]; force?: boolean; follow: boolean; poll: number }) => {
      const jobId = () => {
        if (!id || !/^\d+$/.test(id)) throw new CliError(`resync ${shop} needs the resync id (a whole number)`);
        return Number(id);
      };
      if (shop === 'status') {
        await onServerOrDatabase(false, async ({ call }) => {
          const items = id === undefined ? (await call<{ items: ResyncView[] }>('GET', '/resync?limit=20')).items : [await call<ResyncView>('GET', `/resync/${jobId()}`)];
          if (items.length === 0) console.log('no resyncs');
          for (const r of items) console.log(ENDED.has(r.state) ? summaryLine(r) : progressLine(r));
        });
        return;
      }
      if (shop === 'cancel') {
        await onServerOrDatabase(false, async ({ call }) => {
          const r = await call<ResyncView>('DELETE', `/resync/${jobId()}`);
          console.log(`${summaryLine(r)}; what it queued stays queued`);
        });
        return;
      }
      if (shop === 'follow') {
        const followed = jobId();
        await onServerOrDatabase(true, async (target) => {
          await target.call<ResyncView>('GET', `/resync/${followed}`); // an unknown id: 404 before anything runs
          await followToEnd(target, followed, opts.poll);
        });
        return;
      }
      if (!opts.from || !opts.to) throw new CliError('a resync needs --from and --to (e.g. --from 2025-01-01 --to 2025-04-01)');
      await onServerOrDatabase(true, async (target) => {
        const started = await target.call<ResyncView>('POST', `/shops/${encodeURIComponent(shop)}/resync`, {
          from: opts.from, to: opts.to, by: opts.by, force: opts.force === true, ...(opts.destination ? { destinations: opts.destination } : {}),
        });
        console.log(`resync ${started.id} of ${started.shop} started: ${started.range.from} to ${started.range.to} by ${started.range.by}`);
        if (!opts.follow) {
          if (target.direct) console.log(`resync ${started.id} waits in ${target.direct.databasePath}: it runs when orderbridge starts on this database, or with orderbridge resync follow ${started.id}`);
          return;
        }
        await followToEnd(target, started.id, opts.poll);
      });
    });
}
