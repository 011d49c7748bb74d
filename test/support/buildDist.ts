// vitest globalSetup: the servers and the CLI that tests start run dist/, as `npm start` and the package do,
// so dist/ is rebuilt (incrementally) first when a source changed since the last build.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function buildDist(): void {
  const root = resolve(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  // A type error still emits JavaScript (tsc without noEmitOnError): tests run, as vitest's own transform would; typecheck reports it.
  if (r.status !== 0) console.warn('[build] dist/ built with errors (see above): tests run against what tsc emitted');
}
