// Spawns a real orderbridge (dist/), for tests and drills alike: no vitest here, so bench/drills can use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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

/** Scratch directories the launches made, for the caller to remove once done (tests: after the file; drills: at the end). */
export const createdDirectories: string[] = [];

export function removeCreatedDirectories(): void {
  for (const dir of createdDirectories.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts orderbridge exactly as `npm start` does (the compiled dist/src/node/main.js), on a free loopback port.
 * `fileSizeLimitBlocks`: the child runs under a soft `ulimit -f` (512-byte blocks), a full disk without root.
 */
export async function launchOrderbridge(env: Record<string, string> = {}, databasePath?: string, opts: { fileSizeLimitBlocks?: number } = {}): Promise<OrderbridgeProcess> {
  let dbPath = databasePath;
  if (!dbPath) {
    const dir = mkdtempSync(join(tmpdir(), 'orderbridge-'));
    createdDirectories.push(dir);
    dbPath = join(dir, 'orderbridge.db');
  }
  const main = join(ROOT, 'dist/src/node/main.js');
  // exec keeps one process: the pid killed is orderbridge's, not a shell's.
  const command = opts.fileSizeLimitBlocks === undefined ? { file: process.execPath, args: [main] }
    : { file: '/bin/sh', args: ['-c', `ulimit -S -f ${opts.fileSizeLimitBlocks} && exec "$0" "$1"`, process.execPath, main] };
  const child = spawn(command.file, command.args, {
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
