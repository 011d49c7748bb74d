// `orderbridge resync` against a running server: plain progress lines and the summary when not on a terminal, the
// progress bar on a pseudo-terminal (script -q), status and cancel, and mistakes as one line. With no server at its
// address: on the database file directly (the job run in the CLI's process, Ctrl-C leaving it to resume), and refused
// while a server holds that database.
import Database from 'better-sqlite3';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifySimulator, type RunningShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { ROOT, startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { api, delivered, localStore, RESYNC_TOKEN } from './support/resyncHarness.ts';
import { eventually } from './support/shopifySender.ts';

const run = promisify(execFile);

/** `orderbridge resync <args>` run to its end: its exit code and what it printed. */
async function resyncCli(env: NodeJS.ProcessEnv, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/orderbridge.js'), 'resync', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const DAY = 86_400_000;
const NOW = Date.now();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const FROM = day(NOW - 60 * DAY);
const TO = day(NOW);

describe('orderbridge resync', () => {
  let sim: RunningShopifySimulator;
  let ob: OrderbridgeProcess;
  let shopId: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim = await startShopifySimulator({
      shop: 'resync-cli.myshopify.com', orders: 400, from: new Date(NOW - 50 * DAY).toISOString(), to: new Date(NOW - DAY).toISOString(),
      bucket: { restoreRate: 50_000 }, maxQueryCost: 20_000,
    });
    // Pages of ~40 orders, each answer 50 ms late: the progress moves a few times before the end.
    sim.faults.set({ slowRate: 1, slowMs: 50 });
    ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, SHOPIFY_ADMIN_URL: sim.url, SHOPIFY_MAX_QUERY_COST: '8000', DELIVERY_POLL_MS: '20' });
    shopId = (await api(ob, 'POST', '/shops', { platform: 'shopify', shop: sim.shop, accessToken: sim.accessToken, deliveryUrl: `${ob.url}/webhooks/shopify` })).json.shop.id as string;
    env = { ...process.env, ORDERBRIDGE_URL: ob.url, ADMIN_TOKEN: RESYNC_TOKEN };
  });
  afterAll(async () => {
    await ob?.stop();
    await sim?.close();
  });

  const cli = (...args: string[]) => resyncCli(env, args);

  it('follows a resync with plain lines when not on a terminal, and ends with its summary', { timeout: 60_000 }, async () => {
    const out = await cli(shopId, '--from', FROM, '--to', TO, '--poll', '100');
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^resync 1 of shopify:resync-cli\.myshopify\.com started: .* by created$/);
    expect(lines.filter((l) => /^resync 1 running: \d+ pages, [\d,]+\/400 orders \(queued [\d,]+, unchanged 0, failed 0\), [\d.]+\/s/.test(l)).length).toBeGreaterThan(1);
    expect(lines.at(-1)).toMatch(/^resync 1 of shopify:resync-cli\.myshopify\.com done in [\d.]+s: 400 orders read in \d+ pages, 400 queued for the stores, 0 unchanged, 0 failed$/);
    expect(out.stdout).not.toContain('\u001b['); // no terminal codes in a pipe

    const status = await cli('status', '1');
    expect(status.stdout.trim()).toMatch(/^resync 1 of .* done in .*: 400 orders read/);
    const cancel = await cli('cancel', '1');
    expect(cancel).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: 409 job_finished: resync 1 is done already\n$/) });
  });

  it('says what is missing in one line', async () => {
    expect(await cli(shopId, '--from', FROM)).toMatchObject({ code: 1, stderr: 'error: a resync needs --from and --to (e.g. --from 2025-01-01 --to 2025-04-01)\n' });
    expect(await cli('shopify:nope.myshopify.com', '--from', FROM, '--to', TO)).toMatchObject({ code: 1, stderr: 'error: 404 not_found: no shop shopify:nope.myshopify.com\n' });
  });

  it.runIf(spawnSync('script', ['--version']).status === 0)('draws a progress bar on a terminal (a pseudo-terminal through script -q)', { timeout: 60_000 }, async () => {
    const command = [process.execPath, join(ROOT, 'bin/orderbridge.js'), 'resync', shopId, '--from', FROM, '--to', TO, '--force', '--poll', '100']
      .map((a) => `'${a}'`).join(' ');
    const { stdout } = await run('script', ['-q', '-e', '-c', command, '/dev/null'], { env });
    expect(stdout).toMatch(/resync 2 \|[█░]+\| \d+\/400 orders \| \d+ pages \| [\d.]+\/s \| ETA/);
    expect(stdout).toMatch(/resync 2 of shopify:resync-cli\.myshopify\.com done in [\d.]+s: 400 orders read in \d+ pages, 400 queued/);
    expect(stdout).not.toMatch(/^resync 2 running:/m); // the bar, not the plain lines
  });
});

/** An address nothing listens on: a port bound, then let go. */
async function closedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('orderbridge resync with no server at its address: on the database directly', () => {
  const KEY = 'resync-direct-encryption-key';
  let sim: RunningShopifySimulator;
  let databasePath: string;
  let shopId: string;
  let nowhere: string;
  let env: NodeJS.ProcessEnv;
  let ob: OrderbridgeProcess | undefined;

  beforeAll(async () => {
    sim = await startShopifySimulator({
      shop: 'resync-direct.myshopify.com', orders: 400, from: new Date(NOW - 50 * DAY).toISOString(), to: new Date(NOW - DAY).toISOString(),
      bucket: { restoreRate: 50_000 }, maxQueryCost: 20_000,
    });
    sim.faults.set({ slowRate: 1, slowMs: 50 });
    // The shop is connected through a server, which then stops (and lets its database go).
    const first = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, ENCRYPTION_KEY: KEY, SHOPIFY_ADMIN_URL: sim.url });
    const connected = await api(first, 'POST', '/shops', { platform: 'shopify', shop: sim.shop, accessToken: sim.accessToken, deliveryUrl: `${first.url}/webhooks/shopify` });
    expect(connected.status, JSON.stringify(connected.json)).toBe(201);
    shopId = connected.json.shop.id as string;
    databasePath = first.databasePath;
    await first.stop();
    nowhere = await closedAddress();
    env = {
      ...process.env, ORDERBRIDGE_URL: nowhere, DATABASE_PATH: databasePath, ENCRYPTION_KEY: KEY, SHOPIFY_ADMIN_URL: sim.url,
      SHOPIFY_MAX_QUERY_COST: '8000', ADMIN_TOKEN: RESYNC_TOKEN,
    };
  }, 60_000);
  afterAll(async () => {
    await ob?.stop();
    await sim?.close();
  });

  const cli = (...args: string[]) => resyncCli(env, args);
  const job = (id: number) => {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT state, steps, seen, queued FROM jobs WHERE id = ?').get(id) as { state: string; steps: number; seen: number; queued: number };
    } finally {
      db.close();
    }
  };

  it('runs the resync in its own process, with the same progress lines and summary, its orders queued in the database', { timeout: 60_000 }, async () => {
    const out = await cli(shopId, '--from', FROM, '--to', TO, '--poll', '100');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toBe(`no orderbridge answers at ${nowhere}: working on the database at ${databasePath} directly\n`);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^resync 1 of shopify:resync-direct\.myshopify\.com started: .* by created$/);
    expect(lines.filter((l) => /^resync 1 running: \d+ pages, [\d,]+\/400 orders \(queued [\d,]+, unchanged 0, failed 0\)/.test(l)).length).toBeGreaterThan(1);
    expect(lines.at(-2)).toMatch(/^resync 1 of shopify:resync-direct\.myshopify\.com done in [\d.]+s: 400 orders read in \d+ pages, 400 queued for the stores, 0 unchanged, 0 failed$/);
    expect(lines.at(-1)).toBe(`the orders queued wait in ${databasePath} for orderbridge to deliver them (npm start)`);
    expect(localStore(databasePath, shopId).waiting).toBe(400);

    // status and cancel read and write the database too
    expect((await cli('status', '1')).stdout.trim()).toMatch(/^resync 1 of .* done in .*: 400 orders read/);
    expect(await cli('cancel', '1')).toMatchObject({ code: 1, stderr: expect.stringMatching(/error: 409 job_finished: resync 1 is done already\n$/) });
  });

  it('Ctrl-C stops the job with the process, at a committed page; `resync follow` resumes it there, nothing read twice', { timeout: 90_000 }, async () => {
    sim.faults.set({ slowRate: 1, slowMs: 400 });
    const child = spawn(process.execPath, [join(ROOT, 'bin/orderbridge.js'), 'resync', shopId, '--from', FROM, '--to', TO, '--force', '--poll', '50'], { env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(async () => (/^resync 2 running: [1-9]\d* pages/m.test(stdout) ? true : undefined), 30_000, 'a page of resync 2');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(new RegExp(`^stopped: resync 2 stays running in ${databasePath.replaceAll('.', '\\.')} and resumes from its last committed page \\(\\d+ pages read\\) `
      + 'when orderbridge starts on this database \\(npm start\\), or with orderbridge resync follow 2$', 'm'));
    const stopped = job(2);
    expect(stopped.state).toBe('running');
    expect(stopped.seen).toBeGreaterThan(0);
    expect(stopped.seen).toBeLessThan(400);

    sim.faults.set({ slowRate: 1, slowMs: 20 });
    const resumed = await cli('follow', '2', '--poll', '100');
    expect(resumed.code, resumed.stderr).toBe(0);
    // Every order once across both runs: the pages before Ctrl-C were not read again.
    expect(resumed.stdout).toMatch(/^resync 2 of shopify:resync-direct\.myshopify\.com done in [\d.]+s: 400 orders read in \d+ pages, 400 queued for the stores/m);
    expect(job(2)).toMatchObject({ state: 'done', seen: 400, queued: 400 });
  });

  it('without the ENCRYPTION_KEY the server has: says so, and makes no key of its own', async () => {
    const { ENCRYPTION_KEY: _key, ...withoutKey } = env;
    const out = await run(process.execPath, [join(ROOT, 'bin/orderbridge.js'), 'resync', shopId, '--from', FROM, '--to', TO], { env: withoutKey })
      .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(out.code).toBe(1);
    const keyFile = join(dirname(databasePath), 'orderbridge.key');
    expect(out.stderr).toContain(`error: ENCRYPTION_KEY is not set and there is no ${keyFile}: set ENCRYPTION_KEY as the server has it`);
    expect(existsSync(keyFile)).toBe(false);
    expect(job(3)).toBeUndefined();
  });

  it('refuses to run a resync beside a server that holds the database (not at the address asked); status still reads it', { timeout: 60_000 }, async () => {
    ob = await startOrderbridge({ ADMIN_TOKEN: RESYNC_TOKEN, ENCRYPTION_KEY: KEY, SHOPIFY_ADMIN_URL: sim.url, DELIVERY_POLL_MS: '20', RECONCILE_INTERVAL: '0' }, databasePath); // its jobs are the CLI's only
    // The server delivers what the CLI queued.
    await delivered(ob, shopId, 400);
    const refused = await cli(shopId, '--from', FROM, '--to', TO);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: no orderbridge answers at ${nowhere}, but one runs on ${databasePath.replaceAll('.', '\\.')} `
      + '\\([^,]+:\\d+:[0-9a-f]+, holding it until [^)]+\\); a resync must run in that one: set ORDERBRIDGE_URL \\(or PORT\\) to its address and try again\\n$'));
    expect((await api(ob, 'GET', '/resync')).json.items.map((r: { id: number }) => r.id)).toEqual([2, 1]);
    const status = await cli('status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout.trim().split('\n')).toHaveLength(2);
  });
});
