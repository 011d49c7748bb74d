import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../appDeps.ts';
import { deadLetterPage, nextAfter, outboxView } from '../../core/delivery/queueViews.ts';
import { FULL_DESTINATION_ID } from '../../core/shops/registry.ts';
import { cappedCount } from '../cappedCount.ts';
import { problem } from '../problem.ts';
import { jsonBody, Limit, readInput } from './query.ts';

export const PageQuery = z.object({
  destination: z.string().refine(FULL_DESTINATION_ID.test, FULL_DESTINATION_ID.hint).optional(),
  limit: Limit,
  after: z.coerce.number().int().min(0).optional(),
  includeReplayed: z.enum(['true', 'false']).optional(),
});

/** Quarantined payloads, newest first: `before` is the last id of the page before. */
export const QuarantinePage = z.object({
  limit: Limit, before: z.coerce.number().int().min(1).optional(),
  /** Only the orders this resync read that did not map. */
  job: z.coerce.number().int().min(1).optional(),
});

/** `POST /dead-letters/replay`: every letter not replayed yet, or those of one destination. */
export const ReplayAllBody = z.strictObject({
  destination: z.string().refine(FULL_DESTINATION_ID.test, FULL_DESTINATION_ID.hint).optional(),
});

/** The outbox, dead letters (with replay) and quarantined payloads. */
export function queueRoutes(deps: Pick<AppDeps, 'storage'>): Hono {
  const r = new Hono();
  r.get('/outbox', (c) => {
    const query = readInput(PageQuery, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const { outbox } = deps.storage;
    const rows = outbox.list({ destinationId: query.value.destination, limit: query.value.limit, afterId: query.value.after });
    return c.json({
      // Of the rows the filter selects, every page, counted up to a cap: an admin page polled during a backlog must not stall ingest.
      total: cappedCount((cap) => outbox.countUpTo(cap, query.value.destination)),
      // In flight: claimed by this process's delivery engine (another process's claims live in its own memory).
      items: rows.map((row) => outboxView(row, outbox.isClaimed(row.id))),
      nextAfter: nextAfter(rows, query.value.limit),
    });
  });
  r.get('/dead-letters', (c) => {
    const query = readInput(PageQuery, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const rows = deps.storage.deadLetters.list({
      destinationId: query.value.destination, limit: query.value.limit, afterId: query.value.after,
      includeReplayed: query.value.includeReplayed === 'true',
    });
    return c.json(deadLetterPage(rows, query.value.limit));
  });
  r.post('/dead-letters/replay', async (c) => {
    const body = await jsonBody(c.req, {}); // no body: every letter
    if (!body.ok) return problem(c, 400, 'invalid_json', 'the request body is not JSON');
    const input = readInput(ReplayAllBody, body.value);
    if (!input.ok) return problem(c, 400, 'invalid_body', input.message);
    // Up to the first 100 refusals by id, so a large batch answers in a bounded body.
    const refusals: Array<{ id: number; reason: string }> = [];
    const counts = await deps.storage.deadLetters.replayAll(input.value.destination, {
      gate: deps.storage.database.writes,
      onEach: (id, result) => { if (!result.replayed && refusals.length < 100) refusals.push({ id, reason: result.reason }); },
    });
    if (counts.replayed > 0) await deps.storage.queuedOutside();
    return c.json({ ...counts, refusals }, counts.replayed > 0 ? 202 : 200);
  });
  r.post('/dead-letters/:id/replay', async (c) => {
    const given = c.req.param('id');
    const id = /^\d{1,15}$/.test(given) ? Number(given) : NaN;
    if (!Number.isSafeInteger(id)) return problem(c, 400, 'invalid_id', `dead letter ids are whole numbers; got ${JSON.stringify(given.slice(0, 40))}`);
    const result = deps.storage.deadLetters.replay(id);
    if (!result.replayed) {
      switch (result.reason) {
        case 'not_found': return problem(c, 404, 'not_found', `no dead letter ${id}`);
        case 'already_replayed': return problem(c, 409, 'already_replayed', `dead letter ${id} was replayed already`);
        case 'destination_removed': return problem(c, 409, 'destination_removed', `dead letter ${id} is for a destination that was removed; add it again to replay`);
      }
    }
    await deps.storage.queuedOutside();
    return c.json({ replayed: true, id, orderKey: result.outboxOrderKey }, 202);
  });
  r.get('/quarantine', (c) => {
    const query = readInput(QuarantinePage, c.req.query());
    if (!query.ok) return problem(c, 400, 'invalid_query', query.message);
    const items = deps.storage.quarantined(query.value);
    // Newest first: the next page is the ids below this page's last.
    return c.json({ items, nextBefore: items.length === query.value.limit ? items.at(-1)!.id : null });
  });
  return r;
}
