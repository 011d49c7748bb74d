import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import './requestContext.ts';

/** Every error answer has the same shape: a machine code and a sentence for a person. */
export function problem(c: Context, status: ContentfulStatusCode, error: string, message: string, extra: Record<string, unknown> = {}) {
  c.set('outcome', error); // the request's log line and metrics name the problem by its code
  return c.json({ error, message, ...extra }, status);
}
