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

/**
 * How far behind a late request the grid may still be: slots no request was waiting for (a lane busy settling, a late
 * timer) are used by the next ones back to back, within the window, rather than lost.
 */
export const CATCH_UP_MS = 50;

/** A request the pacer let go: `answered()` when its answer (or its failure) comes back. */
export interface PacedTurn {
  answered(): void;
}

/** One request in its group's window: when it left, then when its answer came. */
interface Departure {
  at: number;
  answered: boolean;
  /** Settles when its answer comes: a request a limit later waits for it. */
  answer: Promise<void>;
}

/**
 * How long past its window a request still unanswered holds the one a limit after it: the vendor may count it as late
 * as its answer comes, but a store that hangs must not stop the group for longer than this.
 */
export const UNANSWERED_HOLD_MS = 5_000;

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
 * whatever delayed it. A request still unanswered when its window is over holds the one a limit later until it is answered
 * (UNANSWERED_HOLD_MS at most).
 */
export class RequestPacer {
  private readonly groups = new Map<string, PacedGroup>();

  constructor(private readonly now: () => number = Date.now, private readonly sleep = defaultSleep) {}

  take(group: string, perSecond: number | null): Promise<PacedTurn> {
    if (!perSecond || perSecond <= 0) return Promise.resolve(UNPACED);
    let paced = this.groups.get(group);
    if (!paced) this.groups.set(group, (paced = { tail: Promise.resolve(), nextSlot: -Infinity, sent: [] }));
    const g = paced;
    const turn = g.tail.then(() => this.release(g, perSecond));
    g.tail = turn.catch(() => {});
    return turn;
  }

  private async release(g: PacedGroup, perSecond: number): Promise<PacedTurn> {
    const perWindow = Math.max(1, Math.floor(perSecond));
    // Looked at again after every wait: an answer that came meanwhile moves the window. A clock that stands still (a
    // test's) counts a wait as having reached its end.
    const entered = this.now();
    let waitedUntil = -Infinity;
    for (;;) {
      const t = Math.max(this.now(), waitedUntil);
      // The grid's slot, or the window's end: a wake-up that comes late does not move the grid (the next catches up).
      // A request that reached the pacer after its slot may use the slots missed just before it (CATCH_UP_MS at most); a
      // group's first request has missed none.
      let due = g.nextSlot === -Infinity ? entered : Math.max(entered - CATCH_UP_MS, g.nextSlot);
      const before = g.sent.length >= perWindow ? g.sent[g.sent.length - perWindow]! : null;
      if (before) {
        due = Math.max(due, before.at + PACE_WINDOW_MS);
        const holdUntil = before.at + PACE_WINDOW_MS + UNANSWERED_HOLD_MS;
        if (!before.answered && due - t < 1 && t < holdUntil) {
          await answerOrTimeout(before.answer, holdUntil - t);
          if (!before.answered) waitedUntil = holdUntil;
          continue;
        }
      }
      if (due - t >= 1) {
        await this.sleep(due - t);
        waitedUntil = due;
        continue;
      }
      g.nextSlot = due + pacedInterval(perSecond);
      let settle!: () => void;
      const departure: Departure = { at: Math.max(t, due), answered: false, answer: new Promise<void>((resolve) => (settle = resolve)) };
      g.sent.push(departure);
      if (g.sent.length > perWindow) g.sent.splice(0, g.sent.length - perWindow);
      return {
        answered: () => {
          if (departure.answered) return;
          departure.answered = true;
          departure.at = Math.max(departure.at, this.now());
          settle();
        },
      };
    }
  }
}

/** Waits for `answer`, at most `ms`. */
function answerOrTimeout(answer: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([answer, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
