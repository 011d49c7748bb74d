import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { queueRoutes } from '../src/app/admin/queueRoutes.ts';
import { openDatabase } from '../src/node/database.ts';
import { createStorage } from '../src/core/storage.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { ROOT } from './support/orderbridgeProcess.ts';

const run = promisify(execFile);
const cli = (databasePath: string, ...args: string[]) =>
  run(process.execPath, [join(ROOT, 'bin/orderbridge.js'), ...args], { env: { ...process.env, DATABASE_PATH: databasePath } });

/** Runs the CLI to its end: exit code and both streams, never a rejection. */
async function cliOutcome(databasePath: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await cli(databasePath, ...args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A mistake the operator can fix is one line on stderr, not a stack. */
function expectOneLineError(outcome: { code: number; stderr: string }, message: RegExp): void {
  expect(outcome.code).not.toBe(0);
  expect(outcome.stderr).toMatch(message);
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  expect(outcome.stderr).not.toMatch(/^\s+at /m);
}

describe('orderbridge dead-letters list|replay', () => {
  it('lists what a store refused, with its words, and queues it again on replay', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ob-cli-')), 'state.db');
    const database = openDatabase(path);
    const storage = createStorage(database, { now: () => 5_000 });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    storage.writer.apply(null, { kind: 'order', order: makeOrder('42'), events: ['order.created'], origin: 'webhook' });
    const [row] = storage.outbox.claim('shopify:demo-shop.myshopify.com:local', 5_000, 10);
    storage.outbox.deadLetter(row!, 'HTTP 400: order_value must be a number', 5_000);
    database.close();

    const listed = await cli(path, 'dead-letters', 'list', '--json');
    const page = JSON.parse(listed.stdout) as { items: Array<{ id: number; orderKey: string; error: string }>; nextAfter: number | null };
    const letters = page.items;
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      orderKey: 'shopify:demo-shop.myshopify.com:42', error: 'HTTP 400: order_value must be a number',
      events: ['order.created'], order: { key: 'shopify:demo-shop.myshopify.com:42' }, createdAt: 5_000,
    });
    // The page exactly as GET /api/dead-letters gives it.
    const viewed = openDatabase(path);
    const api = await queueRoutes({ storage: createStorage(viewed, { now: () => 5_000 }) }).request('/dead-letters');
    expect(page).toEqual(await api.json());
    expect(page.nextAfter).toBeNull();
    viewed.close();

    const replayed = await cli(path, 'dead-letters', 'replay', String(letters[0]!.id));
    expect(replayed.stdout).toContain('queued again');
    await expect(cli(path, 'dead-letters', 'replay', String(letters[0]!.id))).rejects.toMatchObject({ code: 1 });

    const reopened = openDatabase(path);
    const after = createStorage(reopened, { now: () => 6_000 });
    expect(after.outbox.list({ limit: 10 }).map((r) => [r.orderKey, r.origin])).toEqual([['shopify:demo-shop.myshopify.com:42', 'replay']]);
    expect(after.deadLetters.count()).toBe(0);
    reopened.close();
    rmSync(dirname(path), { recursive: true, force: true });
  });
});

describe('orderbridge dead-letters list, page by page', () => {
  it('--after takes up where a full page stopped (nextAfter), in text and JSON', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ob-cli-')), 'state.db');
    const database = openDatabase(path);
    const storage = createStorage(database, { now: () => 5_000 });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    for (const id of ['1', '2', '3']) {
      storage.writer.apply(null, { kind: 'order', order: makeOrder(id), events: ['order.created'], origin: 'webhook' });
    }
    for (const row of storage.outbox.claim('shopify:demo-shop.myshopify.com:local', 5_000, 10)) storage.outbox.deadLetter(row, `refused ${row.orderKey}`, 5_000);
    const ids = storage.deadLetters.list({ limit: 10 }).map((l) => l.id);
    database.close();

    const first = JSON.parse((await cli(path, 'dead-letters', 'list', '--json', '--limit', '2')).stdout) as { items: Array<{ id: number }>; nextAfter: number | null };
    expect([first.items.map((l) => l.id), first.nextAfter]).toEqual([ids.slice(0, 2), ids[1]]);
    const second = JSON.parse((await cli(path, 'dead-letters', 'list', '--json', '--limit', '2', '--after', String(first.nextAfter))).stdout) as typeof first;
    expect([second.items.map((l) => l.id), second.nextAfter]).toEqual([ids.slice(2), null]);
    const text = (await cli(path, 'dead-letters', 'list', '--limit', '2')).stdout;
    expect(text.trim().split('\n').at(-1)).toBe(`more: add --after ${ids[1]}`);
    expect((await cli(path, 'dead-letters', 'list', '--after', String(ids[2]))).stdout).toBe(`no dead letters after #${ids[2]}\n`);
    rmSync(dirname(path), { recursive: true, force: true });
  });
});

describe('orderbridge dead-letters replay all', () => {
  it('replays every letter, page after page (1,001 letters, pages of 1,000)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ob-cli-')), 'state.db');
    const database = openDatabase(path);
    const storage = createStorage(database, { now: () => 5_000 });
    storage.shops.ensure('shopify', 'demo-shop.myshopify.com');
    database.sqlite.transaction(() => {
      for (let i = 1; i <= 1_001; i++) storage.writer.apply(null, { kind: 'order', order: makeOrder(String(i)), events: ['order.created'], origin: 'webhook' });
      for (const row of storage.outbox.claim('shopify:demo-shop.myshopify.com:local', 5_000, 2_000)) storage.outbox.deadLetter(row, 'refused', 5_000);
    })();
    expect(storage.deadLetters.count()).toBe(1_001);
    database.close();

    const replayed = await cli(path, 'dead-letters', 'replay', 'all');
    expect(replayed.stdout.trim().split('\n').filter((l) => l.includes('queued again'))).toHaveLength(1_001);
    const reopened = openDatabase(path);
    const after = createStorage(reopened, { now: () => 6_000 });
    expect([after.deadLetters.count(), after.outbox.count()]).toEqual([0, 1_001]);
    reopened.close();
    rmSync(dirname(path), { recursive: true, force: true });
  });
});

describe('orderbridge dead-letters: mistakes', () => {
  it('refuses an id that is not a number, and a --limit that is not one', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ob-cli-')), 'state.db');
    openDatabase(path).close();
    try {
      expectOneLineError(await cliOutcome(path, 'dead-letters', 'replay', 'abc'), /error: .*'abc'.*dead letter ids are whole numbers/);
      expectOneLineError(await cliOutcome(path, 'dead-letters', 'replay', '7', 'x7'), /'x7'/);
      expectOneLineError(await cliOutcome(path, 'dead-letters', 'list', '--limit', 'abc'), /error: .*--limit.*'abc'.*whole number/);
      expectOneLineError(await cliOutcome(path, 'dead-letters', 'replay', 'all', '3'), /error: replay takes ids or "all", not both/);
      expectOneLineError(await cliOutcome(path, 'dead-letters', 'replay', '3', '--destination', 'x'), /error: --destination goes with "all"/);
      expectOneLineError(await cliOutcome(path, 'dead-letters', 'replay', 'all', '--destination', 'engage'), /error: --destination takes a destination's full id/);
      expectOneLineError(await cliOutcome(path, 'dead-letters', 'list', '--destination', 'engage'), /error: --destination takes a destination's full id/);
      expect(await cliOutcome(path, 'dead-letters', 'list', '--limit', '5')).toMatchObject({ code: 0, stdout: 'no dead letters\n' });
      expect(await cliOutcome(path, 'dead-letters', 'replay', 'all')).toMatchObject({ code: 0, stdout: 'no dead letters to replay\n' });
    } finally {
      rmSync(dirname(path), { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses a DATABASE_PATH where there is no database, and does not create one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-cli-'));
    const path = join(dir, 'typo', 'state.db');
    try {
      for (const args of [['list'], ['list', '--json'], ['replay', '1'], ['replay', 'all']]) {
        expectOneLineError(await cliOutcome(path, 'dead-letters', ...args), new RegExp(`no database at ${path.replaceAll('.', '\\.')} \\(set DATABASE_PATH\\)`));
      }
      expect(existsSync(join(dir, 'typo'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('orderbridge --version', () => {
  it("prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await cli(':memory:', '--version')).stdout.trim()).toBe(version);
  });
});

describe('orderbridge simulate <system>', () => {
  it('a port in use or not a port: one line, non-zero exit', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      expectOneLineError(await cliOutcome(':memory:', 'simulate', 'engage', '--port', String(port)),
        new RegExp(`^error: port ${port} on 127\\.0\\.0\\.1 is already in use \\(choose another with --port`));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    expectOneLineError(await cliOutcome(':memory:', 'simulate', 'engage', '--port', 'abc'), /error: .*--port.*'abc'.*0 to 65535/);
    expectOneLineError(await cliOutcome(':memory:', 'simulate', 'engage', '--port', '70000'), /'70000'/);
  });

  for (const system of ['engage', 'voyado', 'expertsender', 'esputnik', 'esputnik-events', 'woocommerce']) {
    it(`${system}: serves on loopback and prints how to point a destination at it`, async () => {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [join(ROOT, 'bin/orderbridge.js'), 'simulate', system], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let out = '';
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 20_000);
          child.stdout!.on('data', (d) => {
            out += d;
            const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
            if (m) {
              clearTimeout(timer);
              resolve(m[1]!);
            }
          });
        });
        // Without credentials every simulator refuses, as the real service would.
        const path = { engage: '/v1/orders', voyado: '/api/v3/orders', expertsender: '/orders', esputnik: '/api/v1/orders', 'esputnik-events': '/api/v1/event', woocommerce: '/wp-json/wc/v3/orders' }[system]!;
        const r = await fetch(`${url}${path}`, { method: system === 'woocommerce' ? 'GET' : 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'test' }, body: system === 'woocommerce' ? undefined : '{}' });
        expect(r.status).toBe(401);
        expect(out).toMatch(/settings|connect it/);
      } finally {
        child.kill('SIGTERM');
      }
    });
  }

  it('shopify: a shop with --orders generated orders; prints the Admin API URL and the token that opens it', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(ROOT, 'bin/orderbridge.js'), 'simulate', 'shopify', '--orders', '25', '--restore-rate', '200'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const printed = await new Promise<{ api: string; token: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no Admin API URL printed:\n${out}`)), 20_000);
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /POST (http:\/\/127\.0\.0\.1:\d+\/admin\/api\/[\d-]+\/graphql\.json) with X-Shopify-Access-Token: (\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve({ api: m[1]!, token: m[2]! });
          }
        });
      });
      const query = (token: string) => fetch(printed.api, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
        body: JSON.stringify({ query: '{ orders(first: 100) { nodes { id } } }' }),
      });
      expect((await query('shpat_wrong')).status).toBe(401);
      const body = (await (await query(printed.token)).json()) as { data: { orders: { nodes: unknown[] } }; extensions: { cost: { throttleStatus: { restoreRate: number } } } };
      expect(body.data.orders.nodes).toHaveLength(25);
      expect(body.extensions.cost.throttleStatus.restoreRate).toBe(200);
      expect(out).toMatch(/SHOPIFY_API_SECRET/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
