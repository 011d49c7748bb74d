// A probe for a benchmarked server, loaded by BENCH_NODE_ARGS="--import ./bench/support/serverProbe.mjs" with
// PROBE_OUT=<file>: a line a second of the event loop's delay (p99, max), its utilisation and the process's CPU,
// the WAL fdatasyncs acknowledgements wait for (count, p50, p99, max), the WAL's size, the checkpointer's rounds
// (count, longest, total ms: its worker's code is wrapped to time them; 'holds' are write-gate holds, ms) and GCs over
// 3 ms (kind:ms; 1 scavenge, 4 mark-compact, 8 incremental marking). Diagnosis only: nothing here is measured by a test.
import fs from 'node:fs';
import wt from 'node:worker_threads';
import { syncBuiltinESMExports } from 'node:module';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
const out = fs.openSync(process.env.PROBE_OUT ?? '/dev/stderr', 'a');
const w = (s) => fs.writeSync(out, `${(performance.now()/1000).toFixed(2)} ${s}\n`);
const h = monitorEventLoopDelay({ resolution: 2 }); h.enable();
const syncs = [];
const orig = fs.fdatasync;
fs.fdatasync = function (fd, cb) { const t = performance.now(); return orig.call(fs, fd, (e) => { syncs.push(performance.now() - t); cb(e); }); };
// checkpointer timing: wrap the eval'd worker's checkpoint()
const OrigWorker = wt.Worker;
const cp = { rounds: 0, frames: 0, maxMs: 0, totalMs: 0, holds: [], holdAt: 0 };
class ProbeWorker extends OrigWorker {
  constructor(code, opts) {
    const isCp = typeof code === 'string' && code.includes('wal_checkpoint');
    if (isCp) code = code.replace("const checkpoint = () => { try { return db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch { return null; } };",
      "const checkpoint = () => { const t0 = performance.now(); let r = null; try { r = db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch {} parentPort.postMessage({ kind: 'timing', ms: performance.now() - t0, ...(r ?? {}) }); return r; };");
    super(code, opts);
    if (isCp) {
      const post = this.postMessage.bind(this);
      this.postMessage = (m, ...rest) => { if (m === 'final') cp.holdAt = performance.now(); return post(m, ...rest); };
      this.on('message', (m) => {
        if (m?.kind === 'timing') { cp.rounds++; cp.totalMs += m.ms; cp.maxMs = Math.max(cp.maxMs, m.ms); }
        if (m?.kind === 'final' && cp.holdAt) { cp.holds.push((performance.now() - cp.holdAt).toFixed(1)); cp.holdAt = 0; }
      });
    }
  }
}
wt.Worker = ProbeWorker;
syncBuiltinESMExports();
let gcs = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcs.push(`${e.detail?.kind ?? e.kind}:${e.duration.toFixed(1)}`); }).observe({ entryTypes: ['gc'] });
const walPath = `${process.env.DATABASE_PATH}-wal`;
let cpu = process.cpuUsage();
let elu = performance.eventLoopUtilization();
setInterval(() => {
  syncs.sort((a, b) => a - b);
  let wal = 0; try { wal = fs.statSync(walPath).size; } catch {}
  const big = gcs.filter((g) => Number(g.split(':')[1]) > 3);
  const c = process.cpuUsage(cpu); cpu = process.cpuUsage();
  const e = performance.eventLoopUtilization(elu); elu = performance.eventLoopUtilization();
  w(`loop p99 ${(h.percentile(99)/1e6).toFixed(1)} max ${(h.max/1e6).toFixed(1)} elu ${e.utilization.toFixed(2)} cpu ${((c.user+c.system)/1e6).toFixed(2)} | sync n ${syncs.length} p50 ${(syncs[Math.floor(syncs.length*0.5)]??0).toFixed(1)} p99 ${(syncs[Math.floor(syncs.length*0.99)]??0).toFixed(1)} max ${(syncs.at(-1)??0).toFixed(1)} | wal ${(wal/1048576).toFixed(1)}MB | cp ${cp.rounds} max ${cp.maxMs.toFixed(1)} tot ${cp.totalMs.toFixed(0)} holds ${cp.holds.join(',')} | gc ${gcs.length} big ${big.join(' ')}`);
  h.reset(); syncs.length = 0; gcs = []; cp.rounds = 0; cp.maxMs = 0; cp.totalMs = 0; cp.holds = [];
}, 1000).unref();
