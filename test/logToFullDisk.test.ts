// stdout redirected to a file on a full disk (a soft `ulimit -f` stands in for it): pino's destination failing a write
// emitted an 'error' nobody listened to, and the process ended with exit code 1. Now lines wait or are dropped and counted,
// and logging goes on once space returns.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './support/orderbridgeLauncher.ts';

const dir = mkdtempSync(join(tmpdir(), 'ob-logfull-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps the process up while stdout cannot be written, and logs again (counting what it dropped) once space returns', async () => {
  const logFile = join(dir, 'orderbridge.log');
  const child = spawn('/bin/sh', ['-c', `ulimit -S -f 16 && exec "$0" --import tsx test/support/logFloodChild.ts > "$1"`, process.execPath, logFile], {
    cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes('survived')) resolve();
    });
    void exited.then((code) => reject(new Error(`the child exited (${code}) before it was done logging:\n${stderr}`)));
  });
  // 5,000 lines of ~300 bytes against an 8 KB limit: 1 MB of them wait, the rest are dropped.
  expect(readFileSync(logFile).length).toBeLessThanOrEqual(16 * 512);
  const { execFileSync } = await import('node:child_process');
  execFileSync('prlimit', [`--pid=${child.pid}`, '--fsize=unlimited:']);
  child.stdin!.write('go\n');
  expect(await exited).toBe(0);
  const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as { msg: string; droppedLines?: number });
  expect(lines.some((l) => l.msg === 'space returned')).toBe(true);
  const dropped = lines.find((l) => l.droppedLines !== undefined)?.droppedLines ?? 0;
  const kept = lines.filter((l) => l.msg === 'filling the disk').length;
  expect(dropped).toBeGreaterThan(0);
  expect(kept + dropped).toBe(5_000);
}, 60_000);
