import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { Target } from './deliverTargets.ts';

/** Starts a target's simulator in a child process and drives it over IPC; `limited` keeps the store's request limit. */
export async function startRemoteTarget(name: string, opts: { limited?: boolean } = {}): Promise<Target & { accepted(): Promise<number>; cpuMicros(): Promise<number> }> {
  const child = fork(join(import.meta.dirname, 'simulatorHost.ts'), [name, ...(opts.limited ? ['limited'] : [])], { execArgv: [...(process.env.BENCH_SIM_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SIM_PROF}`] : []), '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let seq = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  const ready = new Promise<{ kind: string; url: string; settings: Record<string, unknown>; secret: string }>((resolve) => {
    child.on('message', (m: { type: string; id?: number; value?: unknown } & Record<string, unknown>) => {
      if (m.type === 'ready') resolve(m as never);
      if (m.type === 'reply') waiting.get(m.id!)?.(m.value);
    });
  });
  const ask = (type: string) => new Promise<unknown>((resolve) => {
    const id = ++seq;
    waiting.set(id, resolve);
    child.send({ type, id });
  });
  const r = await ready;
  return {
    kind: r.kind, url: r.url, settings: r.settings, secret: r.secret,
    accepted: async () => (await ask('accepted')) as number,
    cpuMicros: async () => (await ask('cpu')) as number,
    reset: () => void ask('reset'),
    resetAndWait: () => ask('reset'),
    close: async () => {
      await ask('close');
    },
  } as Target & { accepted(): Promise<number>; cpuMicros(): Promise<number>; resetAndWait(): Promise<unknown> };
}
