// `npm start` runs the compiled JavaScript in dist/: no TypeScript compiler at run time. Two witnesses: the
// process tree (tsx runs esbuild as a child process) and the modules each thread resolves (a resolve hook
// preloaded through NODE_OPTIONS logs them). The same witnesses, pointed at a start through tsx, see it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/orderbridgeProcess.ts';
import { launch, processTree, stopTree, type Launched, type RunningProcess } from './support/processTree.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SECRET = 'shpss_npm_start';
const TOKEN = 'admin-npm-start';
const ORDER = 'shopify:demo-shop.myshopify.com:450789469';
const body = readFileSync(join(ROOT, 'test/fixtures/shopify/order-docs-sample.json'), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'orderbridge-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const probe = join(dir, 'moduleLog.mjs');
writeFileSync(probe, `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, resolved.url + '\\\\n');
  return resolved;
}\`));
`);

interface Observed {
  tree: RunningProcess[];
  modules: string[];
}

/** Starts a server, has it take a webhook and deliver the order (both worker threads at work), and reports what ran. */
async function observe(name: string, command: string, args: string[], env: Record<string, string> = {}): Promise<Observed> {
  const moduleLog = join(dir, `${name}.modules`);
  writeFileSync(moduleLog, '');
  const started: Launched = launch(command, args, {
    cwd: ROOT,
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(dir, `${name}.db`),
      SHOPIFY_API_SECRET: SECRET, ADMIN_TOKEN: TOKEN, DELIVERY_POLL_MS: '20',
      NODE_OPTIONS: `--import=${pathToFileURL(probe).href}`, MODULE_LOG: moduleLog, ...env,
    },
  });
  try {
    const [, url] = await started.waitFor(/listening on (http:\/\/\S+)/, 60_000);
    expect((await sendShopifyWebhook(url!, { topic: 'orders/create', body, secret: SECRET })).status).toBe(200);
    await eventually(async () => {
      const r = await fetch(`${url}/api/orders/${encodeURIComponent(ORDER)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return r.status === 200 ? true : undefined;
    }, 20_000, 'the order in the local store');
    const tree = processTree(started.child.pid!);
    const modules = readFileSync(moduleLog, 'utf8').split('\n').filter(Boolean);
    return { tree, modules };
  } finally {
    await stopTree(started);
  }
}

const compilers = (o: Observed) => ({
  processes: o.tree.filter((p) => /esbuild|tsx/.test(p.command)).map((p) => p.command),
  modules: o.modules.filter((url) => /\/node_modules\/(tsx|esbuild|typescript)\/|\.ts$/.test(url)),
});

describe('npm start', () => {
  it('runs dist/ with no TypeScript compiler: no esbuild process, no tsx module, worker threads on compiled files', async () => {
    const o = await observe('npm-start', 'npm', ['start'], { ADMIN_READ_THREAD: 'true' });
    const server = o.tree.filter((p) => p.command.startsWith(process.execPath) || /^node /.test(p.command));
    expect(server.map((p) => p.command)).toContain('node dist/src/node/main.js');
    expect(compilers(o)).toEqual({ processes: [], modules: [] });
    const here = (path: string) => pathToFileURL(join(ROOT, path)).href;
    expect(o.modules).toEqual(expect.arrayContaining([
      here('dist/src/node/main.js'),
      here('dist/src/node/translationThread.worker.js'),
      here('dist/src/node/preparationThread.worker.js'),
      here('dist/src/node/readThread.worker.js'),
    ]));
  }, 180_000);

  it('the same witnesses see the compiler in a start through tsx (they are not blind)', async () => {
    // tsx starts esbuild for what its cache (in the temp folder) lacks: a first start, or one after a change.
    const o = await observe('tsx', process.execPath, ['--import', 'tsx', 'src/node/main.ts'], { TSX_DISABLE_CACHE: '1' });
    const seen = compilers(o);
    expect(seen.processes.some((c) => /esbuild/.test(c))).toBe(true);
    expect(seen.modules.some((url) => url.includes('/node_modules/tsx/'))).toBe(true);
    expect(seen.modules).toContain(pathToFileURL(join(ROOT, 'src/node/main.ts')).href);
  }, 180_000);
});
