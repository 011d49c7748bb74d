import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/state/database.ts';
import { createStorage } from '../src/state/storage.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { ROOT } from './support/orderbridgeProcess.ts';

const run = promisify(execFile);
const cli = (databasePath: string, ...args: string[]) =>
  run(process.execPath, [join(ROOT, 'bin/orderbridge.js'), ...args], { env: { ...process.env, DATABASE_PATH: databasePath } });

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
    const letters = JSON.parse(listed.stdout) as Array<{ id: number; orderKey: string; error: string }>;
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ orderKey: 'shopify:demo-shop.myshopify.com:42', error: 'HTTP 400: order_value must be a number' });

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

describe('orderbridge simulate <system>', () => {
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
});
