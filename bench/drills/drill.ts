// What every drill hands the runner (bench/drills/run.ts) and its short-form test: figures, each against its target.

export interface Figure {
  /** What was measured, e.g. "lost". */
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

export interface DrillResult {
  drill: string;
  figures: Figure[];
  /** A few examples behind a missed figure, to start from. */
  details?: string[];
}

export const figure = (name: string, value: number | string, target: string, pass: boolean): Figure => ({ name, value: String(value), target, pass });

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The figures that missed their target, as one line per figure (empty when the drill passed). */
export function misses(result: DrillResult): string[] {
  return result.figures.filter((f) => !f.pass).map((f) => `${result.drill}: ${f.name} ${f.value} (target ${f.target})`);
}
