import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface Child {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

let warnedOfLevel = false;

/** Runs a TypeScript entry with tsx (a compiled .js one as it is) and waits for its "listening on <url>" line. */
export async function startTs(entry: string, env: Record<string, string> = {}): Promise<Child> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server into <dir> (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  // A compiled entry (dist/) runs as `npm start` runs it, without tsx (whose loader costs memory and start-up).
  const loader = entry.endsWith('.js') ? [] : ['--import', 'tsx'];
  // BENCH_NODE_ARGS: more node flags for each server (e.g. --trace-gc, or --import of a probe).
  const extra = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  // The server says where it listens at info: a LOG_LEVEL above it (warn, error, …) would leave this waiting for good.
  const level = env.LOG_LEVEL ?? process.env.LOG_LEVEL;
  const hidesListening = level !== undefined && !['trace', 'debug', 'info'].includes(level);
  if (hidesListening && !warnedOfLevel) {
    warnedOfLevel = true;
    console.error(`bench: LOG_LEVEL=${level} would hide the line a server says where it listens on: its servers log at info`);
  }
  const child = spawn(process.execPath, [...profile, ...extra, ...loader, join(ROOT, entry)], {
    cwd: ROOT, env: { ...process.env, ...env, ...(hidesListening ? { LOG_LEVEL: 'info' } : {}) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Only the output's tail is kept (it is what a failed start shows), and only until the server is listening is it
  // searched: a server logs a line a delivery batch, and a bench's load generator runs in this same process.
  let out = '';
  const keep = (d: Buffer) => (out = (out + d).slice(-65_536));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', (d: Buffer) => { keep(d); if (process.env.BENCH_ECHO) process.stderr.write(d); });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // A benchmark that fails half-way must not leave its server running.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${entry} did not start:\n${out}`)), 30_000);
    const listening = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', listening);
      ok(m[1]!);
    };
    child.stdout!.on('data', listening);
  });
  return { url, child, stop: async () => { child.kill('SIGTERM'); await exited; } };
}
