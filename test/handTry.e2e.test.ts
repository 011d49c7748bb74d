// The README's "Try it by hand", run as written: its commands are read out of the README (only the ports
// are moved, so that the test runs beside others) against a real server and the Engage simulator, and the
// sample orders must be delivered to Engage, none dead-lettered. The dead-letter block refuses one on purpose.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DELIVERED_SAMPLES, REFUSED_SAMPLE } from '../src/cli/sendSample.ts';
import { ROOT } from './support/orderbridgeProcess.ts';
import { eventually } from './support/shopifySender.ts';

const run = promisify(execFile);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The shell commands of the first ```sh block after `after` (a heading or a phrase), continuation lines joined. */
function commandsAfter(after: string, containing?: string): string[] {
  const start = README.indexOf(after);
  expect(start, after).toBeGreaterThanOrEqual(0);
  const blocks = [...README.slice(start).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = containing ? blocks.find((b) => b.includes(containing)) : blocks[0];
  expect(block, `a sh block after ${after}`).toBeDefined();
  return block!.replace(/\\\n\s*/g, '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

const sampleIds = (names: readonly string[]) =>
  names.map((name) => /^ {2}"id": (\d+),$/m.exec(readFileSync(join(ROOT, 'test/fixtures/shopify', name), 'utf8'))![1]!);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

describe("the README's hand-try", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ob-hand-try-'));
  const started: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of started) {
      if (child.exitCode !== null || child.pid === undefined) continue;
      const exited = new Promise((done) => child.once('exit', done));
      process.kill(-child.pid, 'SIGTERM'); // its own process group: npm and the node it started
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the sample orders to Engage, and the dead-letter block shows the one refused on purpose', async () => {
    const [simPort, obPort] = [await freePort(), await freePort()];
    // The commands as a reader runs them, from the repository; only the ports differ (and the database lives in a scratch folder).
    const env = { ...process.env, PORT: String(obPort), DATABASE_PATH: join(dir, 'orderbridge.db') };
    const moved = (command: string) => command.replaceAll('127.0.0.1:8787', `127.0.0.1:${obPort}`).replaceAll('8790', String(simPort));
    const sh = async (command: string) => (await run('bash', ['-c', moved(command)], { cwd: ROOT, env, timeout: 60_000 })).stdout;
    const background = (command: string) => new Promise<void>((resolve, reject) => {
      const child = spawn('bash', ['-c', moved(command)], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      started.push(child);
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        if (/listening on/.test(out)) resolve();
      });
      child.stderr!.on('data', (d) => (out += d));
      child.once('exit', () => reject(new Error(`${command} exited:\n${out}`)));
    });

    const commands = commandsAfter('## Try it by hand');
    const simulator = commands.filter((c) => c.includes('orderbridge simulate engage'));
    const server = commands.filter((c) => /\bnpm start\b/.test(c));
    expect([simulator.length, server.length]).toEqual([1, 1]);
    await background(simulator[0]!);
    await background(server[0]!);
    const said: string[] = [];
    for (const command of commands.filter((c) => !simulator.includes(c) && !server.includes(c))) said.push(await sh(command));
    expect(said.join('')).toContain('order-discounts-shipping.json: accepted');

    const engage = `http://127.0.0.1:${simPort}`;
    const api = async (path: string) => (await fetch(`http://127.0.0.1:${obPort}/api${path}`, { headers: { authorization: 'Bearer dev-token' } })).json() as Promise<any>;
    // Every sample order is in Engage, as the simulator read it back; nothing waits and nothing was refused.
    for (const id of sampleIds(DELIVERED_SAMPLES)) {
      const held = await eventually(async () => {
        const r = await fetch(`${engage}/_sim/orders/${id}`);
        return r.ok ? (await r.json()) as Record<string, unknown> : undefined;
      }, 20_000, `order ${id} in Engage`);
      expect(held).toMatchObject({ email: expect.any(String), city: expect.any(String) });
    }
    expect(await (await fetch(`${engage}/_sim/stats`)).json()).toMatchObject({ stored: DELIVERED_SAMPLES.length });
    await eventually(async () => ((await api('/outbox')).items.length === 0 ? true : undefined), 20_000, 'an empty outbox');
    expect((await api('/dead-letters')).items).toEqual([]);
    expect((await api('/orders')).orders).toHaveLength(DELIVERED_SAMPLES.length);

    // The dead-letter block: the refused sample becomes a dead letter in Engage's words, and the CLI lists it.
    const [refuse, list, ...rest] = commandsAfter('A dead letter to look at', '--refused');
    expect(rest).toEqual([]);
    expect(refuse).toContain('--refused');
    expect(await sh(refuse!)).toContain(`${REFUSED_SAMPLE}: accepted`);
    await eventually(async () => ((await api('/dead-letters')).items.length > 0 ? true : undefined), 20_000, 'the dead letter');
    const listed = await sh(list!);
    expect(listed).toContain(`shopify:my-shop.myshopify.com:${sampleIds([REFUSED_SAMPLE])[0]}`);
    expect(listed).toContain('no billing or shipping city: Engage requires city');
    expect((await api('/dead-letters')).items).toHaveLength(1);
  }, 180_000);
});
