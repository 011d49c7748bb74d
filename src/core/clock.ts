/** The app's sense of time, handed in so tests and benchmarks can steer it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
