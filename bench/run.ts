// npm run bench [-- ingest|webhookFloor|commitPath|deliver|deliverFloor|pacing|listing|backfill|beside|startup|worker|resync|resyncFloor]: runs the named benchmarks (all by default), each printing its figures.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const all = ['ingest', 'webhookFloor', 'commitPath', 'deliver', 'deliverFloor', 'pacing', 'listing', 'backfill', 'beside', 'startup', 'worker', 'resync', 'resyncFloor'];
const chosen = process.argv.slice(2).filter((a) => all.includes(a));
for (const name of chosen.length ? chosen : all) {
  console.log(`\n== bench/${name} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
