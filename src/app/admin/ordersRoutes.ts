import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../appDeps.ts';
import { LOCAL_ORDER_CURSOR } from '../../core/localStore/localStore.ts';
import { problem } from '../problem.ts';
import { inlineOrderPages } from './orderPage.ts';
import { Limit, readInput, TimeParam } from './query.ts';

export const ListQuery = z.object({
  shop: z.string().optional(),
  updatedFrom: TimeParam.optional(),
  updatedTo: TimeParam.optional(),
  limit: Limit,
  cursor: z.string().regex(LOCAL_ORDER_CURSOR, 'expected the nextCursor of the previous page').optional(),
});

/** Orders as the embedded local store holds them. */
export function ordersRoutes(deps: AppDeps): Hono {
  const r = new Hono();
  const readPage = deps.readOrderPage ?? inlineOrderPages(deps.storage.local);
  r.get('/', async (c) => {
    const query = readInput(ListQuery, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const body = await readPage({
      shopId: query.value.shop, updatedFrom: query.value.updatedFrom, updatedTo: query.value.updatedTo,
      limit: query.value.limit, cursor: query.value.cursor,
    });
    return c.body(body, 200, { 'content-type': 'application/json' });
  });
  r.get('/:key', (c) => {
    const found = deps.storage.local.get(c.req.param('key'));
    if (!found) return problem(c, 404, 'not_found', `no order ${c.req.param('key')} in the local store`);
    return c.json({ ...found.order, _delivery: { deliveries: found.deliveries, deliveredAt: new Date(found.deliveredAt).toISOString() } });
  });
  r.get('/:key/events', (c) => c.json({ events: deps.storage.local.events(c.req.param('key')) }));
  return r;
}
