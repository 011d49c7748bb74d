// orderbridge on workerd, as `npm run dev:worker` runs it (`wrangler dev --local`): a child process in its own process
// group, so a test can SIGKILL workerd mid-delivery and start it again on the same --persist-to directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

// Not orderbridgeProcess.ts's: that module registers a vitest hook, and the Worker's bench loads this one outside vitest.
const ROOT = resolve(import.meta.dirname, '../..');

export interface WorkerProcess {
  url: string;
  output(): string;
  /** SIGTERM to the whole group (wrangler and workerd); resolves once it exited. */
  stop(): Promise<void>;
  /** SIGKILL to the whole group: workerd gets no chance to finish anything. */
  kill(): Promise<void>;
}

const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/** Starts the Worker on a free loopback port with `vars` (secrets in production), its objects' state under `persistTo`. */
export async function startWorker(vars: Record<string, string>, persistTo: string): Promise<WorkerProcess> {
  const args = [WRANGLER, 'dev', '--local', '--ip', '127.0.0.1', '--port', '0', '--inspector-port', '0', '--persist-to', persistTo,
    '--show-interactive-dev-session=false', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    // No fetch of Cloudflare's cf.json (no network here), no metrics.
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: '1' },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signal = async (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      return; // gone already
    }
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${out}`)), 90_000);
      const onData = () => {
        const m = /Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`wrangler dev exited during start:\n${out}`));
      });
    });
    // "Ready" comes before the Worker answers its first request.
    for (const until = Date.now() + 60_000; ;) {
      const health = await fetch(`${url}/health`).catch(() => null);
      if (health?.status === 200) break;
      if (Date.now() > until) throw new Error(`the Worker did not answer /health:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, output: () => out, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
  } catch (error) {
    await signal('SIGKILL');
    throw error;
  }
}
