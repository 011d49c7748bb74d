/** The app's sense of time, handed in so tests and benchmarks can steer it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Gives the event loop a turn: requests waiting are answered before a long job's next slice. */
export type NextTurn = () => Promise<void>;

/** Any runtime's turn: a zero timer (Node clamps it to 1 ms, so its runtime hands in setImmediate instead). */
export const timerTurn: NextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

