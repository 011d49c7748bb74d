import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface OrderbridgeProcess {
  url: string;
  child: ChildProcess;
  databasePath: string;
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush or close anything. */
  kill(): Promise<void>;
}

// Tests restart servers on the same file and read it after a stop: the directories go after the test file.
const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts orderbridge exactly as `npm start` does (the compiled dist/src/node/main.js), on a free loopback port. */
export async function startOrderbridge(env: Record<string, string> = {}, databasePath?: string): Promise<OrderbridgeProcess> {
  let dbPath = databasePath;
  if (!dbPath) {
    const dir = mkdtempSync(join(tmpdir(), 'orderbridge-'));
    created.push(dir);
    dbPath = join(dir, 'orderbridge.db');
  }
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/node/main.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`orderbridge did not start:\n${out}`)), 20_000);
    const onData = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`orderbridge exited during start:\n${out}`));
    });
  });
  return {
    url,
    child,
    databasePath: dbPath,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
