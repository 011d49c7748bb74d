import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { adminAuth } from './admin/adminAuth.ts';
import { jobsRoutes } from './admin/jobsRoutes.ts';
import { openApiRoutes } from './admin/openapi.ts';
import { ordersRoutes } from './admin/ordersRoutes.ts';
import { queueRoutes } from './admin/queueRoutes.ts';
import { resyncRoutes } from './admin/resyncRoutes.ts';
import { shopsRoutes } from './admin/shopsRoutes.ts';
import type { AppDeps } from './appDeps.ts';
import { consoleRoutes } from './console/consoleRoutes.ts';
import { isStorageFault } from '../core/state/storageFault.ts';
import { jsonLineLogger } from '../core/observability/logger.ts';
import { health } from './health.ts';
import { shopifyInstallRoutes } from './install/shopifyInstallRoutes.ts';
import { wooInstallRoutes } from './install/wooInstallRoutes.ts';
import { metricsRoute } from './metricsRoute.ts';
import { requestId } from './requestContext.ts';
import { problem } from './problem.ts';
import { fetchBodyReader, webhookBody } from './webhooks/webhookBody.ts';
import { shopifyWebhookRoute } from './webhooks/shopify/route.ts';
import { wooWebhookRoute } from './webhooks/woocommerce/route.ts';
import { webhookTelemetry } from './webhooks/webhookTelemetry.ts';

export type { AppDeps, AppConfig } from './appDeps.ts';

const ADMIN_BODY_BYTES = 256 * 1024;
/** The admin API's version in its OpenAPI description: changes when a route or a field does. */
const API_VERSION = '1.0.0';

/** The whole HTTP surface, built from what the runtime hands in (same routes on Node and Workers). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // Without telemetry (tests, a library user's app): the same JSON lines on the console.
  const logger = deps.telemetry?.logger ?? jsonLineLogger();

  app.use('*', requestId());
  app.get('/health', health(deps));
  if (deps.metrics) app.get('/metrics', metricsRoute(deps.metrics, deps.config.metricsToken ?? null));
  // Before the body is read: a 413 is an answer too.
  if (deps.telemetry) app.use('/webhooks/*', webhookTelemetry(deps.telemetry));
  app.use('/webhooks/*', webhookBody(deps.readWebhookBody ?? fetchBodyReader, deps.config.maxBodyBytes));
  app.route('/webhooks/shopify', shopifyWebhookRoute(deps));
  app.route('/webhooks/woocommerce', wooWebhookRoute(deps));

  // Installs: the owner's browser and the platform call these, not an operator with the admin token.
  app.route('/shopify', shopifyInstallRoutes(deps));
  app.route('/woocommerce', wooInstallRoutes(deps));

  app.route('/api', openApiRoutes(API_VERSION));
  app.use('/api/*', adminAuth(deps.config.adminToken));
  // Settings and replays are small; a runaway body must not be read whole into memory first.
  app.use('/api/*', bodyLimit({
    maxSize: ADMIN_BODY_BYTES,
    onError: (c) => problem(c, 413, 'body_too_large', `admin API bodies are limited to ${ADMIN_BODY_BYTES} bytes`),
  }));
  app.route('/api/orders', ordersRoutes(deps));
  app.route('/api/jobs', jobsRoutes(deps));
  app.route('/api', queueRoutes(deps));
  app.route('/api', resyncRoutes(deps));
  app.route('/api', shopsRoutes(deps));

  app.route('/admin', consoleRoutes(deps));

  app.notFound((c) => problem(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (isStorageFault(error)) {
      // The disk (full, failing) or a lock, not the request: 503 so the platform retries; the transaction left nothing behind.
      logger.error('storage unavailable', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, error: error.message });
      c.header('Retry-After', '30');
      return problem(c, 503, 'storage_unavailable', 'orderbridge cannot write to its database now (disk full or unavailable); try again later');
    }
    // The message only: a stack trace helps an attacker more than an operator reading JSON.
    logger.error('request failed', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, error: error.message });
    return problem(c, 500, 'internal_error', 'orderbridge could not handle this request; it is logged.');
  });
  return app;
}
