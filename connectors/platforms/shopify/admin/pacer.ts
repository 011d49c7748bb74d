import { ShopifyAdminError } from './errors.ts';
import type { QueryCost, ThrottleStatus } from './types.ts';

// Cost-based pacing for one shop's GraphQL Admin bucket. Every answer reports the bucket (throttleStatus):
// from it the pacer knows how many points are there now (they flow back at restoreRate), and a request is
// sent only once its requested cost is available — so Shopify never answers THROTTLED in steady state. When
// it does anyway (another client shares the bucket), the wait is exactly what the restore rate says:
// (requested − currentlyAvailable) / restoreRate seconds.

export type { QueryCost, ThrottleStatus } from './types.ts';

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms))),
};

export interface PacerStats {
  requests: number;
  throttled: number;
  /** Σ actualQueryCost. */
  pointsSpent: number;
  /** Time spent waiting for points, planned and after THROTTLED. */
  waitedMs: number;
  /** Each wait after a THROTTLED answer, ms. */
  throttleWaits: number[];
}

/** The wait a THROTTLED answer asks for: until the requested cost has flowed back. */
export function throttleWaitMs(cost: QueryCost): number {
  const t = cost.throttleStatus;
  return Math.max(0, ((cost.requestedQueryCost - t.currentlyAvailable) / t.restoreRate) * 1000);
}

export class CostPacer {
  private bucket: (ThrottleStatus & { at: number }) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  readonly stats: PacerStats = { requests: 0, throttled: 0, pointsSpent: 0, waitedMs: 0, throttleWaits: [] };

  constructor(private readonly clock: PacerClock = realClock) {}

  /** What the bucket was last seen to hold (null before the first answer). */
  get lastStatus(): ThrottleStatus | null {
    return this.bucket && { maximumAvailable: this.bucket.maximumAvailable, currentlyAvailable: this.bucket.currentlyAvailable, restoreRate: this.bucket.restoreRate };
  }

  /** Points available now by the last answer and the restore rate since (a lower bound: the answer was older). */
  available(): number | null {
    const b = this.bucket;
    if (!b) return null;
    return Math.min(b.maximumAvailable, b.currentlyAvailable + ((this.clock.now() - b.at) / 1000) * b.restoreRate);
  }

  /** How long to wait before spending `cost` points, keeping a reserve of 50 ms of restore (timer jitter). */
  waitFor(cost: number): number {
    const b = this.bucket;
    const available = this.available();
    if (!b || available === null) return 0;
    const wanted = Math.min(b.maximumAvailable, cost + b.restoreRate * 0.05);
    return available >= wanted ? 0 : ((wanted - available) / b.restoreRate) * 1000;
  }

  observe(cost: QueryCost | null | undefined): void {
    if (!cost?.throttleStatus) return;
    this.bucket = { ...cost.throttleStatus, at: this.clock.now() };
  }

  /**
   * Runs `send` once `cost()` points are there (asked again before every attempt: answers refine it), one
   * request at a time per bucket. `send` answers the query's cost and whether it was THROTTLED; a THROTTLED
   * request waits as the restore rate says and is sent again.
   */
  run<T>(cost: () => number, send: () => Promise<{ value: T; cost: QueryCost | null; throttled: boolean }>): Promise<T> {
    const turn = this.queue.then(async () => {
      for (let afterThrottle = false; ; afterThrottle = true) {
        // right after a THROTTLED wait the points are there by the restore rate: send again at once
        const wait = afterThrottle ? 0 : this.waitFor(cost());
        if (wait > 0) {
          this.stats.waitedMs += wait;
          await this.clock.sleep(wait);
        }
        this.stats.requests += 1;
        const answer = await send();
        this.observe(answer.cost);
        if (!answer.throttled) {
          this.stats.pointsSpent += answer.cost?.actualQueryCost ?? 0;
          return answer.value;
        }
        this.stats.throttled += 1;
        const t = answer.cost?.throttleStatus;
        if (answer.cost && t && answer.cost.requestedQueryCost > t.maximumAvailable) {
          // waiting cannot help: the bucket never holds that much
          throw new ShopifyAdminError(`a query of ${answer.cost.requestedQueryCost} points cannot run: the bucket holds at most ${t.maximumAvailable}`, 'THROTTLED', [], answer.cost);
        }
        const after = answer.cost ? throttleWaitMs(answer.cost) : 1000;
        this.stats.throttleWaits.push(after);
        this.stats.waitedMs += after;
        await this.clock.sleep(after);
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
