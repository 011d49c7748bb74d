// bench/worker: signed ~5 KB orders/create webhooks against the Worker on workerd (wrangler dev --local, a Durable
// Object per shop) beside the Node server, in the same run on the same machine: throughput (closed loop) and p99,
// with the webhooks of one shop (one object: they are serialised) and spread over several. Then the Worker's bundle
// as `wrangler deploy` would upload it (--dry-run --outdir), which must stay under 1 MB gzipped.
// Local workerd is not Cloudflare's network: the Worker's figures here say what one object costs, not what a region takes.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startTs } from './support/processes.ts';
import { benchOrderTemplate, signedRequest } from './support/shopifyLoad.ts';
import { startWorker } from '../test/support/workerProcess.ts';

const SECRET = 'bench-secret';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const spread = Number(process.env.BENCH_SHOPS ?? 8);
const template = benchOrderTemplate();
let sequence = 0;
const settings = { SHOPIFY_API_SECRET: SECRET, ENCRYPTION_KEY: 'bench-encryption-key', ADMIN_TOKEN: 'bench-admin' };

/** Closed loop over `shops` shops, round robin: every connection sends its next webhook once the last is answered. */
function fire(url: string, shops: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/webhooks/shopify`, connections, duration: seconds,
    requests: [{
      method: 'POST',
      setupRequest: (req) => {
        const n = sequence++;
        const r = signedRequest(template, SECRET, n, `bench-${n % shops}.myshopify.com`);
        return { ...req, body: r.body, headers: r.headers };
      },
    }],
  });
}

const line = (name: string, r: autocannon.Result) =>
  `${name.padEnd(40)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(5)} ms   2xx ${r['2xx']}  non-2xx ${r.non2xx}  errors ${r.errors}`;

async function measure(name: string, url: string): Promise<void> {
  await fire(url, spread).then(() => undefined); // warm: objects created and migrated, JIT warm, shops registered
  for (const shops of [1, spread]) console.log(line(`${name}, ${shops} shop${shops > 1 ? 's' : ''}`, await fire(url, shops)));
}

console.log(`closed loop, ${connections} connections, ${seconds} s each (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_SHOPS)`);
const dir = mkdtempSync(join(tmpdir(), 'ob-bench-worker-'));
try {
  const node = await startTs('src/node/main.ts', { ...settings, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'node.db') });
  try {
    await measure('node (better-sqlite3, one process)', node.url);
  } finally {
    await node.stop();
  }
  const worker = await startWorker(settings, join(dir, 'worker'));
  try {
    await measure('worker (wrangler dev, object per shop)', worker.url);
  } finally {
    await worker.stop();
  }

  const out = join(dir, 'bundle');
  const built = spawnSync(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', out], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: '1' },
  });
  const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(built.stdout + built.stderr);
  if (!size) throw new Error(`wrangler deploy --dry-run printed no size:\n${built.stdout}${built.stderr}`);
  const gzipKiB = Number(size[2]);
  console.log(`bundle (wrangler deploy --dry-run): ${size[1]} KiB, ${gzipKiB} KiB gzipped (limit 1024 KiB gzipped: ${gzipKiB < 1024 ? 'ok' : 'OVER'})`);
  if (gzipKiB >= 1024) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
