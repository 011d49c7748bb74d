// Carries out a Dockerfile's instructions in folders, without Docker: each stage's file system is a folder,
// its base image is this machine (the same Node major, checked by the caller). COPY honours .dockerignore,
// RUN runs with `sh -c` in the stage's WORKDIR, and the final stage's user, environment, volumes,
// health check and command are returned for the caller to run. Only what orderbridge's Dockerfile uses.
import { spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { DockerfileParser, type Copy, type Env, type From, type Healthcheck, type JSONInstruction } from 'dockerfile-ast';

export interface FinalStage {
  image: string;
  /** The folder standing for the stage's `/`. */
  root: string;
  workdir: string;
  user: string | null;
  env: Record<string, string>;
  volumes: string[];
  exposed: string[];
  healthcheck: { flags: Record<string, string>; command: string[] } | null;
  stopSignal: string | null;
  command: string[];
}

/** The uid and gid of the node images' `node` user. */
export const NODE_USER = { uid: 1000, gid: 1000 };

/** A .dockerignore's patterns as a test of a context-relative path (a pattern also covers what is under it). */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('exceptions (!) in .dockerignore: teach dockerStages.ts them first');
  const regexes = patterns.map((p) => new RegExp(`^${p.replace(/^\/+|\/+$/g, '').split('**').map((part) =>
    part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*')}$`));
  return (path) => {
    const parts = path.split('/');
    return parts.some((_, i) => regexes.some((r) => r.test(parts.slice(0, i + 1).join('/'))));
  };
}

function copyInto(from: string, to: string, filter: (source: string) => boolean): void {
  if (statSync(from).isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) {
      if (filter(join(from, name))) cpSync(join(from, name), join(to, name), { recursive: true, filter });
    }
  } else {
    cpSync(from, to);
  }
}

function chownTree(path: string, owner: string): void {
  if (process.getuid?.() !== 0) return; // not root: everything is the current (non-root) user's already
  if (!/^node(:node)?$/.test(owner)) throw new Error(`--chown=${owner}: only node:node is known here`);
  chownSync(path, NODE_USER.uid, NODE_USER.gid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), owner);
}

/**
 * Runs every stage of `dockerfile` against `context` in folders under `work`. `runEnv` is the environment RUN
 * instructions get besides the stage's ENV (PATH and npm's cache settings: what a builder's network would be).
 */
export function buildStages(options: { context: string; dockerfile: string; work: string; runEnv: Record<string, string>; log(line: string): void }): FinalStage {
  const { context, work, runEnv, log } = options;
  const ignored = dockerignore(existsSync(join(context, '.dockerignore')) ? readFileSync(join(context, '.dockerignore'), 'utf8') : '');
  const inContext = (source: string) => !ignored(relative(context, source));
  const stages = new Map<string, string>();
  let stage: FinalStage | null = null;
  let count = 0;
  const at = (path: string) => join(stage!.root, path.startsWith('/') ? path : join(stage!.workdir, path));
  for (const instruction of DockerfileParser.parse(options.dockerfile).getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((a) => a.getValue());
    log(`${keyword} ${instruction.getArgumentsContent() ?? ''}`);
    if (keyword === 'FROM') {
      const from = instruction as From;
      const root = join(work, `stage-${count++}`);
      mkdirSync(root, { recursive: true });
      stage = { image: `${from.getImageName()}:${from.getImageTag()}`, root, workdir: '/', user: null, env: {}, volumes: [], exposed: [], healthcheck: null, stopSignal: null, command: [] };
      if (stages.has(from.getImageName() ?? '')) throw new Error('a stage built on another stage: teach dockerStages.ts it first');
      const name = from.getBuildStage();
      if (name) stages.set(name, root);
      continue;
    }
    if (!stage) throw new Error(`${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = args[0]!.startsWith('/') ? args[0]! : join(stage.workdir, args[0]!);
        mkdirSync(at(stage.workdir), { recursive: true });
        break;
      case 'ENV':
        for (const p of (instruction as Env).getProperties()) stage.env[p.getName()] = p.getValue() ?? '';
        break;
      case 'COPY': {
        const flags = Object.fromEntries((instruction as Copy).getFlags().map((f) => [f.getName(), f.getValue() ?? '']));
        const unknown = Object.keys(flags).filter((f) => f !== 'from' && f !== 'chown');
        if (unknown.length) throw new Error(`COPY --${unknown[0]}: teach dockerStages.ts it first`);
        const sources = args.slice(0, -1);
        const dest = args.at(-1)!;
        if (sources.some((s) => /[*?[]/.test(s))) throw new Error('COPY with a wildcard: teach dockerStages.ts it first');
        const sourceRoot = flags.from ? stages.get(flags.from) : context;
        if (!sourceRoot) throw new Error(`COPY --from=${flags.from}: no such stage`);
        const into = dest.endsWith('/') || sources.length > 1;
        for (const source of sources) {
          const from = join(sourceRoot, source);
          if (!flags.from && !inContext(from) && source !== '.') throw new Error(`COPY ${source}: .dockerignore leaves it out of the context`);
          const to = into && !statSync(from).isDirectory() ? join(at(dest), basename(source)) : at(dest);
          copyInto(from, to, flags.from ? () => true : inContext);
          if (flags.chown) chownTree(to, flags.chown);
        }
        break;
      }
      case 'RUN': {
        const command = instruction.getArgumentsContent()!;
        const r = spawnSync('sh', ['-c', command], { cwd: at(stage.workdir), env: { ...runEnv, ...stage.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (r.status !== 0) throw new Error(`RUN ${command} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
        break;
      }
      case 'USER':
        stage.user = args[0]!;
        break;
      case 'VOLUME':
        stage.volumes.push(...((instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue())));
        break;
      case 'EXPOSE':
        stage.exposed.push(...args);
        break;
      case 'HEALTHCHECK': {
        const check = instruction as Healthcheck;
        const content = instruction.getArgumentsContent()!;
        stage.healthcheck = {
          flags: Object.fromEntries(check.getFlags().map((f) => [f.getName(), f.getValue() ?? ''])),
          command: JSON.parse(content.slice(content.indexOf('['))) as string[],
        };
        break;
      }
      case 'STOPSIGNAL':
        stage.stopSignal = args[0]!;
        break;
      case 'CMD':
        stage.command = (instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
        break;
      default:
        throw new Error(`${keyword}: teach dockerStages.ts it first`);
    }
  }
  if (!stage) throw new Error('no FROM');
  return stage;
}
