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
 * The share of a limit the pacer's grid spreads requests at: the grid keeps them from leaving in bursts, the window counted
 * from answers (PACE_WINDOW_MS) keeps them under the limit, so the grid needs no margin of its own beyond clock granularity.
 */
export const PACE_SHARE = 0.995;

/** Milliseconds between requests paced to `perSecond`. */
export function pacedInterval(perSecond: number): number {
  return 1000 / (perSecond * PACE_SHARE);
}

/**
 * How long after a request's answer the request a limit later may leave: a vendor counts a request when it arrives, which
 * is before its answer comes back, so a window counted from answers holds whatever the request met on its way (a late
 * timer, a new connection, a stalled process at either end). The few milliseconds beyond the second are clock granularity.
 */
export const PACE_WINDOW_MS = 1005;

/** A request the pacer let go: `answered()` when its answer (or its failure) comes back. */
export interface PacedTurn {
  answered(): void;
}

/** One request in its group's window: when it left, then when its answer came. */
interface Departure {
  at: number;
  answered: boolean;
}

interface PacedGroup {
  /** The group's last request handed out: each waits for the one before (the window counts when they really left). */
  tail: Promise<unknown>;
  /** Where the next request's slot is on the group's grid (catching up after a late one is allowed, within the window). */
  nextSlot: number;
  /** The group's last requests (at most a limit's worth). */
  sent: Departure[];
}

const UNPACED: PacedTurn = { answered: () => {} };

/**
 * Spaces requests sharing a rate group so they stay under a per-second ceiling: slots on a grid at 99.5 % of the limit, and
 * never more than the limit within PACE_WINDOW_MS of the answers to the requests before. Counting from when requests left
 * was not enough: the first requests of a drain, each opening its connection, reached eSputnik's simulator 20-30 ms late
 * and the ones a limit later on time (8-11 429s a run at 200/s); an answer comes after the vendor has counted its request,
 * whatever delayed it. A request still unanswered when the window looks at it counts from when it left (a slow store's).
 */
export class RequestPacer {
  private readonly groups = new Map<string, PacedGroup>();

  constructor(private readonly now: () => number = Date.now, private readonly sleep = defaultSleep) {}

  take(group: string, perSecond: number | null): Promise<PacedTurn> {
    if (!perSecond || perSecond <= 0) return Promise.resolve(UNPACED);
    let paced = this.groups.get(group);
    if (!paced) this.groups.set(group, (paced = { tail: Promise.resolve(), nextSlot: 0, sent: [] }));
    const g = paced;
    const turn = g.tail.then(() => this.release(g, perSecond));
    g.tail = turn.catch(() => {});
    return turn;
  }

  private async release(g: PacedGroup, perSecond: number): Promise<PacedTurn> {
    const t = this.now();
    const perWindow = Math.max(1, Math.floor(perSecond));
    let due = Math.max(t, g.nextSlot);
    if (g.sent.length >= perWindow) due = Math.max(due, g.sent[g.sent.length - perWindow]!.at + PACE_WINDOW_MS);
    if (due - t >= 1) await this.sleep(due - t);
    g.nextSlot = due + pacedInterval(perSecond);
    // A clock that says earlier than the slot (one standing still in a test) counts the request at its slot.
    const departure: Departure = { at: Math.max(this.now(), due), answered: false };
    g.sent.push(departure);
    if (g.sent.length > perWindow) g.sent.splice(0, g.sent.length - perWindow);
    return {
      answered: () => {
        if (departure.answered) return;
        departure.answered = true;
        departure.at = Math.max(departure.at, this.now());
      },
    };
  }
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
