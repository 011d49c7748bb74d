import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../appDeps.ts';
import { LOCAL_ORDER_CURSOR } from '../../core/localStore/localStore.ts';
import { problem } from '../problem.ts';
import { Limit, readInput, TimeParam } from './query.ts';

export const ListQuery = z.object({
  shop: z.string().optional(),
  updatedFrom: TimeParam.optional(),
  updatedTo: TimeParam.optional(),
  limit: Limit,
  cursor: z.string().regex(LOCAL_ORDER_CURSOR, 'expected the nextCursor of the previous page').optional(),
});

const COMMA = Buffer.from(',');

/** Orders as the embedded local store holds them. */
export function ordersRoutes(deps: AppDeps): Hono {
  const r = new Hono();
  r.get('/', (c) => {
    const query = readInput(ListQuery, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const page = deps.storage.local.list({
      shopId: query.value.shop, updatedFrom: query.value.updatedFrom, updatedTo: query.value.updatedTo,
      limit: query.value.limit, cursor: query.value.cursor,
    });
    // The stored JSON's bytes as they are: parsing 500 orders to serialise them again held webhooks for tens of ms.
    const parts: Buffer[] = [Buffer.from('{"orders":[')];
    page.orders.forEach((order, i) => parts.push(...(i > 0 ? [COMMA, order] : [order])));
    parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(page.nextCursor)}}`));
    return c.body(Buffer.concat(parts), 200, { 'content-type': 'application/json' });
  });
  r.get('/:key', (c) => {
    const found = deps.storage.local.get(c.req.param('key'));
    if (!found) return problem(c, 404, 'not_found', `no order ${c.req.param('key')} in the local store`);
    return c.json({ ...found.order, _delivery: { deliveries: found.deliveries, deliveredAt: new Date(found.deliveredAt).toISOString() } });
  });
  r.get('/:key/events', (c) => c.json({ events: deps.storage.local.events(c.req.param('key')) }));
  return r;
}
