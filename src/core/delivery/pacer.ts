/** The pacer's key for a store kind's rate group: requests of one kind and group share one budget. */
export function rateGroupKey(kind: string, group: string): string {
  return `${kind}:${group}`;
}

/** A rate group named by the API key (a SHA-256 fingerprint, not the key): every destination holding that key shares one budget. */
export async function keyRateGroup(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
  return `key-${Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The share of a limit the pacer uses: a vendor counts requests as they arrive, and one sent on time but delayed on the way
 * would land in the same second as the request a whole limit after it (a 429 at exactly 100 %).
 */
export const PACE_SHARE = 0.98;

/** Milliseconds between requests paced to `perSecond`. */
export function pacedInterval(perSecond: number): number {
  return 1000 / (perSecond * PACE_SHARE);
}

/**
 * How long a window the pacer counts a limit's requests in: a vendor counts arrivals in a sliding second, and the same 2 %
 * as PACE_SHARE covers a request that leaves on time but arrives later than the one a limit after it.
 */
export const PACE_WINDOW_MS = 1000 / PACE_SHARE;

interface PacedGroup {
  /** The group's last request handed out: each waits for the one before (the window counts when they really left). */
  tail: Promise<void>;
  /** Where the next request's slot is on the group's grid (catching up after a late one is allowed, within the window). */
  nextSlot: number;
  /** When the group's last requests left (at most a limit's worth). */
  sent: number[];
}

/**
 * Spaces requests sharing a rate group so they stay under a per-second ceiling: slots on a grid at 98 % of the limit, and
 * never more than the limit within PACE_WINDOW_MS of the times requests actually left. The grid alone counted slots, not
 * departures: a request its timer let go 30 ms late and the next one on time put a limit and one in a vendor's second
 * (ExpertSender's 429s at 10/s, where 2 % is 20 ms).
 */
export class RequestPacer {
  private readonly groups = new Map<string, PacedGroup>();

  constructor(private readonly now: () => number = Date.now, private readonly sleep = defaultSleep) {}

  take(group: string, perSecond: number | null): Promise<void> {
    if (!perSecond || perSecond <= 0) return Promise.resolve();
    let paced = this.groups.get(group);
    if (!paced) this.groups.set(group, (paced = { tail: Promise.resolve(), nextSlot: 0, sent: [] }));
    const g = paced;
    const turn = g.tail.then(() => this.release(g, perSecond));
    g.tail = turn.catch(() => {});
    return turn;
  }

  private async release(g: PacedGroup, perSecond: number): Promise<void> {
    const t = this.now();
    const perWindow = Math.max(1, Math.floor(perSecond));
    let due = Math.max(t, g.nextSlot);
    if (g.sent.length >= perWindow) due = Math.max(due, g.sent[g.sent.length - perWindow]! + PACE_WINDOW_MS);
    if (due - t >= 1) await this.sleep(due - t);
    g.nextSlot = due + pacedInterval(perSecond);
    // A clock that says earlier than the slot (one standing still in a test) counts the request at its slot.
    g.sent.push(Math.max(this.now(), due));
    if (g.sent.length > perWindow) g.sent.splice(0, g.sent.length - perWindow);
  }
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
