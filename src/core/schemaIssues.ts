import type { z } from 'zod';

/**
 * What a schema refused, on one line: `path: message; path: message` (paths as `a.b.0`). `name` words a path
 * (the default joins it with dots); `max` keeps a value wrong everywhere from making a very long line.
 */
export function issuesLine(error: z.ZodError, name: (path: PropertyKey[]) => string = (path) => path.join('.'), max = Infinity): string {
  return error.issues.slice(0, max).map((i) => `${name(i.path)}: ${i.message}`).join('; ');
}
