// Who holds the delivery lease, as the Node runtime names and checks it: host, process id, and a random
// part (several engines may run in one process, e.g. in tests).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export function leaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** A holder on this host whose process has ended crashed without releasing: no need to wait its lease out. */
export function holderGone(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
