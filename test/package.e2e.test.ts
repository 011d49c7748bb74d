// The npm package as a user gets it: packed from a clean copy of the repository (npm pack runs `prepare`, which
// builds dist/), installed into an empty folder, then `npx orderbridge serve` takes a signed webhook, the order
// reads back through /api/orders and reaches `npx orderbridge simulate engage`. Slow by nature: the install
// compiles better-sqlite3 (npm's cache serves the packages, the registry what it lacks).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERED_SAMPLES, REFUSED_SAMPLE } from '../src/cli/sendSample.ts';
import { ROOT } from './support/orderbridgeProcess.ts';
import { launch, processTree, stopTree, type Launched } from './support/processTree.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SLOW = 20 * 60_000;
const work = mkdtempSync(join(tmpdir(), 'orderbridge-pack-'));
const clone = join(work, 'clone');
const app = join(work, 'app');
let packed: string[] = [];

/** npm as a user runs it: none of the npm_* settings an outer `npm test` hands its children. */
const npmEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  ...extra,
});
const npm = (args: string[], cwd: string, extra: Record<string, string> = {}) =>
  execFileSync('npm', args, { cwd, env: npmEnv(extra), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

beforeAll(() => {
  // A clean copy of the repository as a clone would have it (tracked files and new ones not ignored), no dist/.
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  for (const path of listed.split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, path))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(clone, path)), { recursive: true });
    cpSync(join(ROOT, path), join(clone, path));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  npm(['pack', '--pack-destination', work], clone);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  packed = execFileSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' }).split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'orderbridge-user', private: true }));
  npm(['install', join(work, tarball), '--no-audit', '--no-fund'], app, { npm_config_prefer_offline: 'true' });
}, SLOW);
afterAll(() => rmSync(work, { recursive: true, force: true }), SLOW);

describe('the npm package', () => {
  it('holds the compiled JavaScript, its declarations and the migrations; no TypeScript sources, tests, fixtures or benchmarks', () => {
    expect(packed).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', 'bin/orderbridge.js',
      'dist/src/node/main.js', 'dist/src/node/index.js', 'dist/src/node/index.d.ts', 'dist/src/cli/main.js',
    ]));
    // Every migration beside the compiled schema, as the sources have them.
    const migrations = [...files(clone)].map((p) => relative(clone, p))
      .filter((p) => !/^(node_modules|dist)\//.test(p) && /\/migrations\/(.+\.sql|meta\/_journal\.json)$/.test(p));
    expect(migrations.length).toBeGreaterThan(0);
    expect(packed).toEqual(expect.arrayContaining(migrations.map((p) => `dist/${p}`)));
    expect(packed.filter((p) => /\.ts$/.test(p) && !p.endsWith('.d.ts'))).toEqual([]);
    // Of the test fixtures only the sample orders `orderbridge send-sample` sends.
    const testLike = packed.filter((p) => /(^|\/)(test|tests|bench|fixtures?)\/|\.test\.|fixtures?\.|test-?support|testing\./i.test(p));
    expect(testLike.sort()).toEqual([...DELIVERED_SAMPLES, REFUSED_SAMPLE].map((name) => `test/fixtures/shopify/${name}`).sort());
    const installed = join(app, 'node_modules/orderbridge');
    const vitestUsers = [...files(installed)].filter((p) => p.endsWith('.js') && /from ['"]vitest['"]/.test(readFileSync(p, 'utf8')));
    expect(vitestUsers).toEqual([]);
  });

  it('installs with better-sqlite3 its only native module, and no TypeScript tooling', () => {
    const all = [...files(join(app, 'node_modules'))].map((p) => relative(join(app, 'node_modules'), p));
    const native = all.filter((p) => p.endsWith('.node'));
    expect(native.length).toBeGreaterThan(0);
    expect(native.filter((p) => !p.startsWith('better-sqlite3/'))).toEqual([]);
    expect(all.filter((p) => /(^|\/)(tsx|esbuild|@esbuild|typescript|vitest)\//.test(p))).toEqual([]);
  });

  it('exports the Node runtime with its types', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      "const m = await import('orderbridge'); console.log(typeof m.startNode, typeof m.readConfig, import.meta.resolve('orderbridge'))"], { cwd: app, encoding: 'utf8' });
    expect(out.trim()).toBe(`function function file://${join(app, 'node_modules/orderbridge/dist/src/node/index.js')}`);
    expect(existsSync(join(app, 'node_modules/orderbridge/dist/src/node/index.d.ts'))).toBe(true);
  });

  it('serves from `npx orderbridge serve`: /health, a signed webhook, the order read back and delivered to `npx orderbridge simulate engage`', async () => {
    const SECRET = 'shpss_pack';
    const TOKEN = 'admin-pack';
    const started: Launched[] = [];
    try {
      const engage = launch('npx', ['--no', 'orderbridge', 'simulate', 'engage'], { cwd: app, env: npmEnv() });
      started.push(engage);
      const [, engageUrl] = await engage.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      const [, engageSecret] = await engage.waitFor(/secret "([^"]+)"/, 5_000);
      const serve = launch('npx', ['--no', 'orderbridge', 'serve'], {
        cwd: app,
        env: npmEnv({
          PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(app, 'data/orderbridge.db'), SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: TOKEN,
          DELIVERY_POLL_MS: '20', DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: JSON.stringify({ baseUrl: engageUrl }), DESTINATION_SECRET: engageSecret!,
        }),
      });
      started.push(serve);
      const [, url] = await serve.waitFor(/listening on (http:\/\/\S+)/, 60_000);

      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      // The documented order, dated yesterday: Engage refuses orders older than two years.
      const body = readFileSync(join(ROOT, 'test/fixtures/shopify/order-docs-sample.json'), 'utf8')
        .replaceAll('2008-01-10T11:00:00-05:00', new Date(Date.now() - 86_400_000).toISOString());
      const answer = await sendShopifyWebhook(url!, { topic: 'orders/create', body, secret: SECRET });
      expect(answer.status).toBe(200);
      const key = 'shopify:demo-shop.myshopify.com:450789469';
      expect(await answer.json()).toMatchObject({ outcome: 'accepted', orderKey: key });

      const api = (path: string) => fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const page = await eventually(async () => {
        const r = (await (await api('/orders')).json()) as { orders: { key: string; currency: string; totals: { total: number } }[] };
        return r.orders.length ? r : undefined;
      }, 20_000, 'the order in /api/orders');
      expect(page.orders.map((o) => [o.key, o.currency, o.totals.total])).toEqual([[key, 'USD', 59894]]);

      const atEngage = await eventually(async () => {
        const r = await fetch(`${engageUrl}/_sim/orders/450789469`);
        return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : undefined;
      }, 20_000, 'the order at the Engage simulator');
      expect(atEngage).toMatchObject({ order_id: expect.anything() });

      // send-sample reads its orders from the package as well.
      const sent = npm(['exec', '--no', '--', 'orderbridge', 'send-sample', '--secret', SECRET, '--url', url!], app);
      expect(sent.match(/: accepted /g)).toHaveLength(DELIVERED_SAMPLES.length);
      await eventually(async () => {
        const stats = (await (await fetch(`${engageUrl}/_sim/stats`)).json()) as { stored: number };
        return stats.stored === 1 + DELIVERED_SAMPLES.length ? true : undefined;
      }, 30_000, 'the sample orders at the Engage simulator');

      // Compiled all the way down: nothing in either process tree compiles TypeScript.
      const trees = [...processTree(serve.child.pid!), ...processTree(engage.child.pid!)];
      expect(trees.some((p) => /bin\/orderbridge\.js serve$/.test(p.command) || /orderbridge serve$/.test(p.command))).toBe(true);
      expect(trees.filter((p) => /esbuild|tsx/.test(p.command))).toEqual([]);
    } finally {
      for (const s of started.reverse()) await stopTree(s);
    }
  }, 180_000);
});
