import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error answer has the same shape: a machine code and a sentence for a person. */
export function problem(c: Context, status: ContentfulStatusCode, error: string, message: string, extra: Record<string, unknown> = {}) {
  return c.json({ error, message, ...extra }, status);
}
