// `orderbridge resync` against a running server: plain progress lines and the summary when not on a terminal, the
// progress bar on a pseudo-terminal (script -q), status and cancel, and mistakes as one line.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifySimulator, type RunningShopifySimulator } from '../connectors/platforms/shopify/simulator/index.ts';
import { ROOT, startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { api, RESYNC_TOKEN } from './support/resyncHarness.ts';

const run = promisify(execFile);
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

  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/orderbridge.js'), 'resync', ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

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
