import { readFileSync } from 'node:fs';

// Linux reports per-thread CPU in clock ticks (USER_HZ, 100 on every Linux build Node supports).
const TICK_MICROS = 10_000;

/**
 * CPU time of the calling thread (user + system, µs) from /proc, or null where there is none: it splits
 * process.cpuUsage() into the event loop and the other threads (preparation, checkpoints, V8's GC and compiler).
 */
export function threadCpuMicros(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  } catch {
    return null;
  }
}

/** CPU time (user + system, µs) of another process, every thread, or of one of its threads (`tid`), from /proc. */
export function processCpuMicros(pid: number, tid?: number): number | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  } catch {
    return null;
  }
}

/** The whole machine's CPU time so far (every core, in ticks) and how much of it was busy, from /proc/stat; null where there is none. */
export function machineCpuTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // user nice system idle iowait irq softirq steal (guest time is already in user and nice); steal counts as busy: not ours to use.
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = ticks[3]! + (ticks[4] ?? 0); // idle + iowait
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}
