// GET /metrics: Prometheus text, behind METRICS_TOKEN when one is set (a scraper sends it as a bearer token).
import type { Context } from 'hono';
import { timingSafeEqualText } from '../core/state/secretBox.ts';
import { problem } from './problem.ts';

/** The runtime's metrics as exposition text (prom-client on Node). */
export type MetricsExposition = () => Promise<{ contentType: string; body: string }>;

export function metricsRoute(exposition: MetricsExposition, token: string | null) {
  return async (c: Context) => {
    if (token) {
      const header = c.req.header('authorization') ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!given || !timingSafeEqualText(given, token)) {
        return problem(c, 401, 'unauthorized', 'Missing or wrong bearer token: /metrics takes METRICS_TOKEN as "Authorization: Bearer <token>".');
      }
    }
    const { contentType, body } = await exposition();
    return c.body(body, 200, { 'content-type': contentType });
  };
}
