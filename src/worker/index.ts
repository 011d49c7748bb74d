// The Cloudflare Workers entry: the admin token checked once here, each request handed to its shop's Durable Object
// (src/worker/routing.ts), which runs the same app (src/app) over that shop's SQLite; the cron visits every shop.
import { Hono } from 'hono';
import { adminAuth } from '../app/admin/adminAuth.ts';
import { problem } from '../app/problem.ts';
import { jsonLineLogger } from '../core/observability/logger.ts';
import { readWorkerConfig, type Env } from './config.ts';
import { DIRECTORY_OBJECT, OPEN_API_PATHS, route } from './routing.ts';
import { INTERNAL_PREFIX, objectRequest } from './shopObject.ts';

export { ShopObject } from './shopObject.ts';

const entry = new Hono<{ Bindings: Env }>();
/** A Worker's logs take one JSON object per console.log call. */
const logger = jsonLineLogger();

entry.onError((error, c) => {
  logger.error('request failed', { method: c.req.method, path: c.req.path, error: error.message });
  return problem(c, 500, 'internal_error', 'orderbridge could not handle this request; it is logged.');
});
entry.all(`${INTERNAL_PREFIX}*`, (c) => problem(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
entry.use('/api/*', (c, next) => (OPEN_API_PATHS.has(c.req.path) ? next() : adminAuth(readWorkerConfig(c.env).ADMIN_TOKEN ?? null)(c, next)));
entry.all('*', async (c) => {
  const routed = await route(c.req.raw, readWorkerConfig(c.env).MAX_BODY_BYTES);
  if ('problem' in routed) return problem(c, routed.problem.status, routed.problem.error, routed.problem.message);
  const url = new URL(routed.request.url);
  return objectRequest(c.env, routed.object, url.pathname + url.search, routed.request);
});

export default {
  fetch: entry.fetch,
  async scheduled(_controller: ScheduledController, env: Env): Promise<void> {
    const answer = await objectRequest(env, DIRECTORY_OBJECT, `${INTERNAL_PREFIX}cron`, { method: 'POST' });
    logger.info('cron', { answer: await answer.text() });
  },
} satisfies ExportedHandler<Env>;
