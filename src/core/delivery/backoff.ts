export interface BackoffPolicy {
  /** First retry delay. */
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 15 * 60_000, maxAttempts: 12 };

/**
 * Exponential back-off with jitter (half fixed, half random), never sooner than the store's Retry-After nor later
 * than maxMs (a store asking for years would otherwise park its orders, and every newer version folding in, for
 * good); whole milliseconds.
 */
export function retryDelay(policy: BackoffPolicy, attempts: number, retryAfterMs: number | undefined, random = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.ceil(Math.min(policy.maxMs, Math.max(jittered, retryAfterMs ?? 0)));
}
