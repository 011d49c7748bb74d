import { afterEach, describe, expect, it, vi } from 'vitest';
import { PACE_WINDOW_MS, RequestPacer } from './pacer.ts';

/** Requests taken all at once (as many lanes would), on fake timers, some of the pacer's sleeps running late. */
async function departures(perSecond: number, requests: number, lateMs: (sleep: number) => number): Promise<number[]> {
  vi.useFakeTimers({ now: 0 });
  let sleeps = 0;
  const pacer = new RequestPacer(Date.now, (ms) => new Promise((resolve) => setTimeout(resolve, ms + lateMs(++sleeps))));
  const left: number[] = [];
  const all = Promise.all(Array.from({ length: requests }, () => pacer.take('store:key', perSecond).then(() => left.push(Date.now()))));
  await vi.runAllTimersAsync();
  await all;
  return left;
}

/** The most requests that arrive within any one second (a vendor's sliding window), each `transitMs(i)` after leaving. */
function busiestSecond(left: number[], transitMs: (i: number) => number): number {
  const arrived = left.map((t, i) => t + transitMs(i)).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < arrived.length; j++) {
    while (arrived[i]! <= arrived[j]! - 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

afterEach(() => vi.useRealTimers());

describe('RequestPacer', () => {
  it('never lets a limit and one into a second, even when a timer lets a request go 30 ms late', async () => {
    // Every seventh sleep 30 ms late: the grid's next slot comes at once after it (catching up), the window holds it back.
    const left = await departures(10, 200, (n) => (n % 7 === 0 ? 30 : 0));
    expect(busiestSecond(left, () => 0)).toBeLessThanOrEqual(10);
    // A request up to 2 % of a second slower on its way than the one a limit after it still lands in another second.
    expect(busiestSecond(left, (i) => (i % 10 === 0 ? 19 : 0))).toBeLessThanOrEqual(10);
    // ...and the pace stays at the limit, not below it: ≥ 95 % from first to last.
    const rate = (left.length - 1) / ((left.at(-1)! - left[0]!) / 1000);
    expect(rate).toBeGreaterThanOrEqual(9.5);
    expect(rate).toBeLessThanOrEqual(10);
  });

  it('at 100/s with every sleep 1 ms late (a busy event loop) still keeps to 95 % or more', async () => {
    const left = await departures(100, 1_000, () => 1);
    expect(busiestSecond(left, () => 0)).toBeLessThanOrEqual(100);
    expect((left.length - 1) / ((left.at(-1)! - left[0]!) / 1000)).toBeGreaterThanOrEqual(95);
  });

  it('counts its window a little over a second', () => {
    expect(PACE_WINDOW_MS).toBeGreaterThan(1000);
    expect(PACE_WINDOW_MS).toBeLessThan(1000 / 0.95);
  });
});
