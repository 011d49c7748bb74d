// Counts an admin or a monitor asks for often must stay cheap whatever the backlog: they stop at a cap.

/** Counts beyond this are reported as `capped` (a full count of a million queued rows takes tens of ms). */
export const COUNT_CAP = 10_000;

/** One more than the cap is counted, to tell "exactly the cap" from "beyond it". */
export function cappedCount(countUpTo: (cap: number) => number): { count: number; capped: boolean } {
  const n = countUpTo(COUNT_CAP + 1);
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}
