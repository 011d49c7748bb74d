import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { CliError } from './cliError.ts';

// `orderbridge resync <shop> --from --to …`, `resync status [id]`, `resync cancel <id>`: through the running
// server's admin API (ORDERBRIDGE_URL, else http://127.0.0.1:$PORT; ADMIN_TOKEN). A resync is followed with a
// progress bar on a terminal and plain lines otherwise; Ctrl-C stops following, not the job.

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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { url, token } = server();
  let res: Response;
  try {
    res = await fetch(`${url}/api${path}`, {
      method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new CliError(`no orderbridge answers at ${url} (${(error as Error).message}); start it, or set ORDERBRIDGE_URL`);
  }
  const json = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!res.ok) throw new CliError(`${res.status} ${json.error ?? ''}: ${json.message ?? 'no message'}`);
  return json as T;
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
async function follow(id: number, pollMs: number): Promise<ResyncView> {
  const tty = process.stdout.isTTY === true;
  const bar = tty ? new cliProgress.SingleBar({
    format: 'resync {id} |{bar}| {value}/{total} orders | {pages} pages | {rate}/s | ETA {eta}s',
    hideCursor: true, clearOnComplete: false,
  }, cliProgress.Presets.shades_classic) : null;
  let stopped = false;
  const onInterrupt = () => {
    stopped = true;
  };
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
        return r;
      }
      if (stopped) {
        bar?.stop();
        console.log(`stopped following; resync ${id} goes on (orderbridge resync status ${id}, orderbridge resync cancel ${id})`);
        return r;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function resyncCommand(): Command {
  return new Command('resync')
    .description('read a shop\'s orders of a date range again from its platform and send them to its stores (through the running server)')
    .argument('<shop>', 'the shop id (shopify:x.myshopify.com, woocommerce:host), or "status" [id], or "cancel" <id>')
    .argument('[id]', 'with status or cancel: the resync id')
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
        const items = id === undefined ? (await call<{ items: ResyncView[] }>('GET', '/resync?limit=20')).items : [await call<ResyncView>('GET', `/resync/${jobId()}`)];
        if (items.length === 0) console.log('no resyncs');
        for (const r of items) console.log(ENDED.has(r.state) ? summaryLine(r) : progressLine(r));
        return;
      }
      if (shop === 'cancel') {
        const r = await call<ResyncView>('DELETE', `/resync/${jobId()}`);
        console.log(`${summaryLine(r)}; what it queued stays queued`);
        return;
      }
      if (!opts.from || !opts.to) throw new CliError('a resync needs --from and --to (e.g. --from 2025-01-01 --to 2025-04-01)');
      const started = await call<ResyncView>('POST', `/shops/${encodeURIComponent(shop)}/resync`, {
        from: opts.from, to: opts.to, by: opts.by, force: opts.force === true, ...(opts.destination ? { destinations: opts.destination } : {}),
      });
      console.log(`resync ${started.id} of ${started.shop} started: ${started.range.from} to ${started.range.to} by ${started.range.by}`);
      if (!opts.follow) return;
      const ended = await follow(started.id, opts.poll);
      if (ENDED.has(ended.state)) console.log(summaryLine(ended));
      if (ended.state === 'failed' || ended.state === 'cancelled') process.exitCode = 1;
    });
}
