import { z } from 'zod';
import { issuesLine } from '../../core/schemaIssues.ts';

export const Limit = z.coerce.number().int().min(1).max(500).default(50);
export const TimeParam = z.string().transform((v, ctx) => {
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(n)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO date-time or epoch milliseconds' });
    return z.NEVER;
  }
  return n;
});

/** Parses query or body with a zod schema; on failure the caller answers 400 naming the fields (under `root`). */
export function readInput<T extends z.ZodType>(schema: T, input: unknown, root = 'body'): { ok: true; value: z.infer<T> } | { ok: false; message: string } {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const where = (path: PropertyKey[]) => (root === 'body' ? path.join('.') || root : [root, ...path].join('.'));
  return { ok: false, message: issuesLine(r.error, where) };
}

/**
 * A request body as JSON, or not ok when it is not JSON (the caller answers 400 invalid_json). `whenEmpty`: what
 * an empty body stands for, where one may be left out.
 */
export async function jsonBody(req: { text(): Promise<string> }, whenEmpty?: unknown): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await req.text().catch(() => '');
  if (whenEmpty !== undefined && text.trim() === '') return { ok: true, value: whenEmpty };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
