// `npm start` and `orderbridge serve` take one start path: the same one-line "cannot start" for a setting
// the operator must change (a port in use, a value that is not a number), the same hints once listening.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/node/config.ts';
import { startNode } from '../src/node/server.ts';
import { ROOT } from './support/orderbridgeProcess.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();

const STARTS = {
  'npm start': [join(ROOT, 'dist/src/node/main.js')],
  'orderbridge serve': [join(ROOT, 'bin/orderbridge.js'), 'serve'],
};

interface Launched {
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(): void;
}

function launch(args: string[], env: Record<string, string>): Launched {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // '' is unset to readConfig: no ADMIN_TOKEN or SHOPIFY_API_SECRET from the developer's environment.
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ADMIN_TOKEN: '', SHOPIFY_API_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => ({ stdout, stderr }), exited, kill: () => child.kill('SIGTERM') };
}

async function untilExit(l: Launched, ms = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      l.kill();
      reject(new Error(`still running after ${ms} ms:\n${JSON.stringify(l.output())}`));
    }, ms);
  });
  try {
    const code = await Promise.race([l.exited, late]);
    return { code, ...l.output() };
  } finally {
    clearTimeout(timer);
  }
}

function expectCannotStart(outcome: { code: number | null; stderr: string }, sentence: string | RegExp): void {
  expect(outcome.code).toBe(1);
  const lines = outcome.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof sentence === 'string') expect(lines[0]).toBe(`[orderbridge] cannot start: ${sentence}`);
  else expect(lines[0]).toMatch(sentence);
}

let holder: Server;
let heldPort: number;
beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  heldPort = (holder.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve));
});

for (const [name, args] of Object.entries(STARTS)) {
  describe(name, () => {
    it('a port in use: one line naming it, exit 1', async () => {
      const databasePath = scratchDb('ob-start-');
      const outcome = await untilExit(launch(args, { PORT: String(heldPort), DATABASE_PATH: databasePath }));
      expectCannotStart(outcome, `port ${heldPort} on 127.0.0.1 is already in use (set PORT to another)`);
      expect(outcome.stdout).not.toContain('listening on');
    });

    it('a setting that is not valid: one line naming it, exit 1', async () => {
      const outcome = await untilExit(launch(args, { PORT: 'abc', DATABASE_PATH: scratchDb('ob-start-') }));
      expectCannotStart(outcome, /^\[orderbridge\] cannot start: invalid configuration: PORT: /);
    });

    it('once listening, says which settings are missing, and stops cleanly on SIGTERM', async () => {
      const l = launch(args, { DATABASE_PATH: scratchDb('ob-start-') });
      try {
        await expect.poll(() => l.output().stdout, { timeout: 20_000 }).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
        await expect.poll(() => l.output().stdout).toContain('SHOPIFY_API_SECRET is not set');
        expect(l.output().stdout).toContain('ADMIN_TOKEN is not set');
        expect(l.output().stdout).toMatch(/listening on \S+ \(database .*; [1-4] preparation thread\(s\)\)/);
      } finally {
        l.kill();
      }
      expect((await untilExit(l)).code).toBe(0);
    });
  });
}

describe('startNode', () => {
  it('when it cannot listen, rejects with the sentence and leaves nothing open', async () => {
    const databasePath = scratchDb('ob-start-');
    const config = readConfig({ HOST: '127.0.0.1', PORT: String(heldPort), DATABASE_PATH: databasePath, DELIVERY_POLL_MS: '20' });
    await expect(startNode(config)).rejects.toThrow(`port ${heldPort} on 127.0.0.1 is already in use (set PORT to another)`);
    // SQLite removes the WAL when the last connection closes: the database and the checkpointer's are closed.
    expect(existsSync(databasePath)).toBe(true);
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    // And the same file starts on a free port.
    const running = await startNode({ ...config, PORT: 0 });
    await running.stop();
  });

  it('refuses DESTINATION_KIND of a store that needs a credential without DESTINATION_SECRET', async () => {
    const config = readConfig({ HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: scratchDb('ob-start-'), DESTINATION_KIND: 'engage' });
    await expect(startNode(config)).rejects.toThrow('DESTINATION_SECRET is not set: Engage Order History needs its API key or token');
  });

  it('refuses DESTINATION_KIND=local: every shop has it, and a later start without it would hand it over (pause it)', async () => {
    const config = readConfig({ HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: scratchDb('ob-start-'), DESTINATION_KIND: 'local' });
    await expect(startNode(config)).rejects.toThrow('DESTINATION_KIND=local: every shop has the local store already');
  });
});
