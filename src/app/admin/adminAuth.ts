import type { MiddlewareHandler } from 'hono';
import { timingSafeEqualText } from '../../core/state/secretBox.ts';
import { problem } from '../problem.ts';

/** Bearer ADMIN_TOKEN, compared in constant time; with no token configured the admin API stays shut. */
export function adminAuth(token: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (!token) {
      return problem(c, 401, 'admin_token_unset', 'The admin API is disabled: start orderbridge with ADMIN_TOKEN=<a long random string> and send it as "Authorization: Bearer <token>".');
    }
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !timingSafeEqualText(given, token)) {
      return problem(c, 401, 'unauthorized', 'Missing or wrong bearer token.');
    }
    await next();
  };
}
