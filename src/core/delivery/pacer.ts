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

/** Spaces requests sharing a rate group so they stay under a per-second ceiling. */
export class RequestPacer {
  private nextSlot = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now, private readonly sleep = defaultSleep) {}

  async take(group: string, perSecond: number | null): Promise<void> {
    if (!perSecond || perSecond <= 0) return;
    const interval = pacedInterval(perSecond);
    const t = this.now();
    const slot = Math.max(t, this.nextSlot.get(group) ?? 0);
    this.nextSlot.set(group, slot + interval);
    if (slot - t >= 1) await this.sleep(slot - t);
  }
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
