// The container image without a Docker engine: the Dockerfile passes the Docker language service's checks
// (dockerfile-utils; hadolint is neither on npm nor in Debian), then its instructions are carried out in
// clean folders (test/support/dockerStages.ts) and the run stage's command runs as the image would run it:
// as `node`, DATABASE_PATH on the volume, answered by the HEALTHCHECK, stopped by SIGTERM with exit 0.
// compose.yaml's two services run the same way: orderbridge delivering to the Engage simulator beside it.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DELIVERED_SAMPLES, REFUSED_SAMPLE } from '../src/cli/sendSample.ts';
import { buildStages, NODE_USER, dockerignore, type FinalStage } from './support/dockerStages.ts';
import { ROOT } from './support/orderbridgeProcess.ts';
import { freePort, launch, stopTree, type Launched } from './support/processTree.ts';
import { eventually, sendShopifyWebhook } from './support/shopifySender.ts';

const SLOW = 20 * 60_000;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as {
  services: Record<string, { build?: string; image?: string; command?: string[]; ports?: string[]; volumes?: string[]; environment?: Record<string, string>; network_mode?: string }>;
  volumes: Record<string, unknown>;
};
const work = mkdtempSync(join(tmpdir(), 'orderbridge-image-'));
// The user `node` reads the image's files and writes its volume: the folders above them must let it in.
chmodSync(work, 0o755);
let image: FinalStage;
const asNode = process.getuid?.() === 0 ? NODE_USER : {};

/** The environment `docker run` would give the command: the image's ENV with its paths inside the image folder. */
function containerEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH! };
  for (const [name, value] of Object.entries(image.env)) env[name] = value.startsWith('/') ? join(image.root, value) : value;
  return { ...env, ...extra };
}

beforeAll(() => {
  image = buildStages({
    context: ROOT, dockerfile, work,
    // npm's cache stands in for the builder's network; the registry answers what it lacks.
    runEnv: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))), npm_config_prefer_offline: 'true' },
    log: () => {},
  });
}, SLOW);
afterAll(() => rmSync(work, { recursive: true, force: true }), SLOW);

describe('the Dockerfile', () => {
  it('passes the Docker language service checks, and leaves out of the context what is installed, built or stored', () => {
    expect(validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    const ignored = dockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
    for (const path of ['node_modules/hono/package.json', 'dist/src/node/main.js', 'data/orderbridge.db', '.git/HEAD', '.env']) {
      expect(ignored(path), path).toBe(true);
    }
    const samples = [...DELIVERED_SAMPLES, REFUSED_SAMPLE].map((name) => `test/fixtures/shopify/${name}`);
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.build.json', 'scripts/build.mjs', 'src/node/main.ts', 'bin/orderbridge.js', ...samples]) {
      expect(ignored(path), path).toBe(false);
    }
  });

  it('ends in a slim Node image of the major this machine runs, as a non-root user, with the database on a volume', () => {
    expect(image.image).toMatch(/^node:(\d+)-[a-z]+-slim$/);
    expect(image.image.split(/[:-]/)[1]).toBe(process.versions.node.split('.')[0]);
    expect(image.user).toBe('node');
    expect(image.volumes).toContain(dirname(image.env.DATABASE_PATH!));
    expect(image.exposed).toEqual([image.env.PORT]);
    expect(image.env.HOST).toBe('0.0.0.0');
    // node itself is PID 1 (no npm or shell in between), so SIGTERM reaches orderbridge's own handler.
    expect(image.command).toEqual(['node', 'bin/orderbridge.js', 'serve']);
    expect(image.stopSignal).toBe('SIGTERM');
    expect(image.healthcheck?.command.join(' ')).toContain('/health');
    // The run stage holds the npm package's files (the compiled code, no sources or tests) and production dependencies only.
    const app = join(image.root, image.workdir);
    expect(statSync(join(app, 'dist/src/node/main.js')).isFile()).toBe(true);
    expect(() => statSync(join(app, 'src'))).toThrow();
    expect(readdirSync(join(app, 'test/fixtures/shopify')).sort()).toEqual([...DELIVERED_SAMPLES, REFUSED_SAMPLE].sort());
    expect(() => statSync(join(app, 'node_modules/typescript'))).toThrow();
    expect(() => statSync(join(app, 'node_modules/vitest'))).toThrow();
    expect(statSync(join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')).isFile()).toBe(true);
    const volume = statSync(join(image.root, dirname(image.env.DATABASE_PATH!)));
    if (process.getuid?.() === 0) expect([volume.uid, volume.gid]).toEqual([NODE_USER.uid, NODE_USER.gid]);
  });

  it('runs its command as `node`: /health, a webhook to the order, the HEALTHCHECK passing, SIGTERM ending it with 0', async () => {
    const port = await freePort();
    // As `docker run -e`: loopback only on this machine, a free port, a secret and a token.
    const env = containerEnv({ HOST: '127.0.0.1', PORT: String(port), SHOPIFY_API_SECRET: 'shpss_image', ADMIN_TOKEN: 'admin-image', DELIVERY_POLL_MS: '20' });
    const [command, ...args] = image.command;
    const server = launch(command!, args, { cwd: join(image.root, image.workdir), env, ...asNode });
    try {
      await server.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, 120_000);
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const healthcheck = () => spawnSync(image.healthcheck!.command[0]!, image.healthcheck!.command.slice(1), { env, ...asNode, timeout: 30_000 }).status;
      expect(healthcheck()).toBe(0);

      const body = readFileSync(join(ROOT, 'test/fixtures/shopify/order-docs-sample.json'), 'utf8');
      expect((await sendShopifyWebhook(url, { topic: 'orders/create', body, secret: 'shpss_image' })).status).toBe(200);
      await eventually(async () => {
        const r = await fetch(`${url}/api/orders/${encodeURIComponent('shopify:demo-shop.myshopify.com:450789469')}`, { headers: { authorization: 'Bearer admin-image' } });
        return r.status === 200 ? true : undefined;
      }, 20_000, 'the order in the local store');

      // What the process wrote is on the volume, the key file beside the database, owned by `node`.
      const volume = join(image.root, dirname(image.env.DATABASE_PATH!));
      for (const file of ['orderbridge.db', 'orderbridge.key']) {
        const s = statSync(join(volume, file));
        if (process.getuid?.() === 0) expect(s.uid, file).toBe(NODE_USER.uid);
      }

      process.kill(server.child.pid!, image.stopSignal as NodeJS.Signals);
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('SIGTERM: finishing requests');
      expect(healthcheck()).not.toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 180_000);
});

describe('compose.yaml', () => {
  it('builds this image and keeps the database on a named volume at the image volume', () => {
    const { orderbridge } = compose.services;
    expect(orderbridge?.build).toBe('.');
    expect(orderbridge?.ports).toEqual([`${image.env.PORT}:${image.env.PORT}`]);
    const [volume, target] = orderbridge!.volumes![0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(image.volumes).toContain(target);
  });

  it('runs the Engage simulator beside orderbridge, and the order reaches it', async () => {
    const { orderbridge, 'engage-simulator': simulator } = compose.services;
    expect(simulator?.image).toBe(orderbridge?.image);
    // It shares orderbridge's network, where 127.0.0.1 is the simulator's loopback too.
    expect(simulator?.network_mode).toBe('service:orderbridge');
    const composed = simulator!.command!;
    const simulatorPort = composed[composed.indexOf('--port') + 1]!;
    // A free port in place of the compose file's, in both services, as a compose override would.
    const port = String(await freePort());
    const environment = Object.fromEntries(Object.entries(orderbridge!.environment!).map(([k, v]) => [k, v.replaceAll(`:${simulatorPort}`, `:${port}`)]));
    const started: Launched[] = [];
    try {
      const [command, ...args] = composed.map((a) => (a === simulatorPort ? port : a));
      const sim = launch(command!, args, { cwd: join(image.root, image.workdir), env: containerEnv({}), ...asNode });
      started.push(sim);
      await sim.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, 120_000);
      const serverPort = await freePort();
      const [serve, ...serveArgs] = image.command;
      const server = launch(serve!, serveArgs, {
        cwd: join(image.root, image.workdir), ...asNode,
        env: containerEnv({ ...environment, HOST: '127.0.0.1', PORT: String(serverPort), DATABASE_PATH: join(image.root, 'data/compose.db'), SHOPIFY_API_SECRET: 'shpss_compose', DELIVERY_POLL_MS: '20' }),
      });
      started.push(server);
      await server.waitFor(/DESTINATION_KIND=engage: every shop also delivers to/, 120_000);
      // Dated yesterday: Engage refuses orders older than two years.
      const body = readFileSync(join(ROOT, 'test/fixtures/shopify/order-docs-sample.json'), 'utf8')
        .replaceAll('2008-01-10T11:00:00-05:00', new Date(Date.now() - 86_400_000).toISOString());
      expect((await sendShopifyWebhook(`http://127.0.0.1:${serverPort}`, { topic: 'orders/create', body, secret: 'shpss_compose' })).status).toBe(200);
      const atEngage = await eventually(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/_sim/orders/450789469`);
        return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : undefined;
      }, 30_000, 'the order at the Engage simulator');
      expect(atEngage).toMatchObject({ order_id: expect.anything() });

      // The README's hand-try inside the image: send-sample's orders reach Engage too.
      const sent = spawnSync(serve!, [serveArgs[0]!, 'send-sample', '--secret', 'shpss_compose', '--url', `http://127.0.0.1:${serverPort}`], {
        cwd: join(image.root, image.workdir), env: containerEnv({}), ...asNode, encoding: 'utf8', timeout: 60_000,
      });
      expect(sent.status, sent.stderr).toBe(0);
      expect(sent.stdout.match(/: accepted /g)).toHaveLength(DELIVERED_SAMPLES.length);
      await eventually(async () => {
        const stats = (await (await fetch(`http://127.0.0.1:${port}/_sim/stats`)).json()) as { stored: number };
        return stats.stored === 1 + DELIVERED_SAMPLES.length ? true : undefined;
      }, 30_000, 'the sample orders at the Engage simulator');
    } finally {
      for (const s of started.reverse()) await stopTree(s);
    }
  }, 180_000);
});
