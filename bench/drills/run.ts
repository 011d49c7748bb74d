// npm run drills [-- crash|faults|shuffle|fuzz|disk|soak] [--short]: runs the drills' long forms (all by default) and prints one
// table: drill, figure, target, pass/fail, with the command and the machine. --short runs the CI sizes (test/drills/*.e2e.test.ts).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { crashDrill } from './crash.ts';
import { diskDrill } from './disk.ts';
import { figure, type DrillResult } from './drill.ts';
import { fuzzDrill } from './fuzz.ts';
import { shuffleDrill } from './shuffle.ts';
import { soakDrill } from './soak.ts';

const ROOT = join(import.meta.dirname, '../..');
const short = process.argv.includes('--short');
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('--'));

/** The store-faults drill is faultRun's vitest suite (every store, 30 % failures then recovery), with more orders in the long form. */
function storeFaults(): DrillResult {
  const files = ['test/stores/faults.e2e.test.ts', 'test/stores/voyadoFaults.e2e.test.ts'];
  const r = spawnSync('npx', ['vitest', 'run', ...files], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, FAULT_DRILL_ORDERS: short ? '1000' : '5000' }, maxBuffer: 64 * 1024 * 1024,
  });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  const sends = [...out.matchAll(/\[([^\]]+)\] at most (\d+) sends of one order/g)].map((m) => `${m[1]!.split(' ')[0]} ${m[2]}`);
  const passed = /Tests\s+(?:\S+\s+)?(\d+) passed/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
  return {
    drill: 'store faults',
    figures: [
      figure('stores delivered 100 %, in order, through 30 % failures then recovery', r.status === 0 ? `${passed?.[1] ?? '?'} stores` : 'failed', 'every store', r.status === 0),
      figure('most sends of one order (3 versions)', sends.join(', ') || '?', '<= 45', r.status === 0),
    ],
  };
}

const DRILLS: Record<string, () => Promise<DrillResult> | DrillResult> = {
  crash: () => crashDrill(short ? { kills: 3, orders: 40, senders: 8, runMs: [1_000, 2_500] } : { kills: 12, orders: 200, senders: 16, runMs: [1_000, 6_000] }),
  faults: storeFaults,
  shuffle: () => shuffleDrill(short ? { orders: 200, versions: 4 } : { orders: 2_000, versions: 6 }),
  fuzz: () => fuzzDrill(short ? { inProcess: 1_000, overHttp: 300 } : { inProcess: 9_000, overHttp: 1_000 }),
  disk: () => diskDrill({ refused: short ? 20 : 150 }),
  soak: () => soakDrill(short ? { rate: 200, seconds: 20, sliceSeconds: 5, log: console.log } : { rate: 1_500, seconds: 600, ceilingSeconds: 20, log: console.log }),
};

const command = `npm run drills${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`;
console.log(`${command}\nmachine: ${machine}`);
// The spawned servers run dist/, as npm start does: built first if a source changed.
spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });

const results: DrillResult[] = [];
for (const name of chosen.length ? chosen : Object.keys(DRILLS)) {
  const drill = DRILLS[name];
  if (!drill) throw new Error(`no drill ${name}: ${Object.keys(DRILLS).join(', ')}`);
  console.log(`\n== ${name} ==`);
  const t0 = performance.now();
  const result = await drill();
  console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  for (const f of result.figures) console.log(`  ${f.pass ? 'pass' : 'FAIL'}  ${f.name}: ${f.value} (target ${f.target})`);
  for (const d of result.details ?? []) console.log(`  ${d}`);
  results.push(result);
}

const rows = results.flatMap((r) => r.figures.map((f) => [r.drill, f.name, f.value, f.target, f.pass ? 'pass' : 'FAIL']));
const header = ['drill', 'figure', 'value', 'target', ''];
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
console.log(`\n${command} — ${machine}`);
if (rows.some((r) => r[4] === 'FAIL')) process.exitCode = 1;
