import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.ts';

describe('retryDelay', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 12 };

  it('doubles per attempt, half of it jitter, capped at maxMs', () => {
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelay(policy, 1, undefined, () => 1)).toBe(1_000);
    expect(retryDelay(policy, 3, undefined, () => 1)).toBe(4_000);
    expect(retryDelay(policy, 20, undefined, () => 1)).toBe(60_000);
  });

  it('waits at least the store\'s Retry-After, but no longer than maxMs (a Retry-After of years would park the order for good)', () => {
    expect(retryDelay(policy, 1, 30_000, () => 0)).toBe(30_000);
    expect(retryDelay(policy, 1, 1e12, () => 0)).toBe(60_000);
    expect(retryDelay(policy, 1, Number.MAX_VALUE, () => 1)).toBe(60_000);
  });

  it('is whole milliseconds (next_attempt_at is an integer column the admin API shows)', () => {
    for (const r of [0.123, 0.5, 0.987]) expect(Number.isInteger(retryDelay(policy, 2, undefined, () => r))).toBe(true);
    expect(retryDelay(policy, 1, 1_500.25, () => 0)).toBe(1_501);
  });
});
