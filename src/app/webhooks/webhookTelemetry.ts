// Each webhook answered, told to the telemetry: its outcome, how long the answer took, under its request id.
import type { MiddlewareHandler } from 'hono';
import type { Telemetry } from '../../core/observability/telemetry.ts';

/** Platform labels: a path under /webhooks/ that names none is `other`, so probes cannot mint label values. */
const PLATFORMS = new Set(['shopify', 'woocommerce']);

export function webhookTelemetry(telemetry: Telemetry): MiddlewareHandler {
  return async (c, next) => {
    const startedAt = performance.now();
    try {
      await next();
    } finally {
      const segment = c.req.path.split('/')[2] ?? '';
      const source = c.get('webhookSource');
      telemetry.webhookAnswered({
        requestId: c.get('requestId'),
        platform: PLATFORMS.has(segment) ? segment : 'other',
        topic: source?.topic ?? 'unknown',
        shop: source?.shop ?? null,
        outcome: c.get('outcome') ?? (c.res.status >= 500 ? 'internal_error' : `status_${c.res.status}`),
        status: c.res.status,
        ms: performance.now() - startedAt,
      });
    }
  };
}
