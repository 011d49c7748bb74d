// /admin/dead-letters: what stores refused, in their own words, with replay of one or all.
import type { Hono } from 'hono';
import { FULL_DESTINATION_ID } from '../../core/shops/registry.ts';
import { csrfOf, field, redirectWith, type ConsoleContext } from './consoleContext.ts';
import { ActionButton, flashOf, Page, when } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';

const PAGE = 50;

/** Where a replay button sends the browser back to: a console page, never elsewhere. */
const backTo = (given: string, fallback: string) => (/^\/admin(\/|$|\?)/.test(given) ? given : fallback);

export function deadLettersPage(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  const { deadLetters } = ctx.deps.storage;

  r.get('/dead-letters', (c) => {
    const csrf = csrfOf(c);
    const given = c.req.query('destination');
    const destination = given && FULL_DESTINATION_ID.test(given) ? given : undefined;
    const after = Number(c.req.query('after') ?? 0);
    const rows = deadLetters.list({ destinationId: destination, limit: PAGE, afterId: Number.isSafeInteger(after) && after > 0 ? after : 0 });
    const here = `/admin/dead-letters${destination ? `?destination=${encodeURIComponent(destination)}` : ''}`;
    return c.html(
      <Page title={destination ? `Dead letters of ${destination}` : 'Dead letters'} csrf={csrf} flash={flashOf((n) => c.req.query(n))}>
        <p class="hint">Orders a store refused, or gave up on after its retries. A replay sends the newest version of the order again.</p>
        {rows.length > 0 && (
          <div class="actions">
            <ActionButton action="/admin/dead-letters/replay" csrf={csrf} label={destination ? 'Replay all of this store' : 'Replay all'}
              fields={{ ...(destination ? { destination } : {}), back: here }} />
          </div>
        )}
        {rows.length === 0 ? <section><p>No dead letter waiting.</p></section> : rows.map((l) => (
          <section data-letter={l.id}>
            <div class="actions" style="justify-content:space-between">
              <strong>#{l.id} · {l.orderKey}</strong>
              <ActionButton action={`/admin/dead-letters/${l.id}/replay`} csrf={csrf} label="Replay" fields={{ back: here }} />
            </div>
            <p class="hint">{l.destinationId} · {l.attempts} attempts · {when(l.createdAt)} · {l.origin}</p>
            <pre class="error-text">{l.error}</pre>
          </section>
        ))}
        {rows.length === PAGE && <p><a href={`${here}${here.includes('?') ? '&' : '?'}after=${rows.at(-1)!.id}`}>Next letters →</a></p>}
      </Page>,
    );
  });

  r.post('/dead-letters/replay', async (c) => {
    const form = await c.req.parseBody();
    const given = field(form, 'destination');
    const back = backTo(field(form, 'back'), '/admin/dead-letters');
    if (given && !FULL_DESTINATION_ID.test(given)) return redirectWith(c, back, { error: FULL_DESTINATION_ID.hint });
    const counts = await deadLetters.replayAll(given || undefined, { gate: ctx.deps.storage.database.writes });
    if (counts.replayed > 0) await ctx.deps.storage.queuedOutside();
    return redirectWith(c, back, { ok: `${counts.replayed} replayed${counts.refused ? `, ${counts.refused} could not be (their store was removed)` : ''}.` });
  });

  r.post('/dead-letters/:id/replay', async (c) => {
    const form = await c.req.parseBody();
    const back = backTo(field(form, 'back'), '/admin/dead-letters');
    const id = /^\d{1,15}$/.test(c.req.param('id')) ? Number(c.req.param('id')) : NaN;
    const result = Number.isSafeInteger(id) ? deadLetters.replay(id) : ({ replayed: false, reason: 'not_found' } as const);
    if (!result.replayed) {
      const why = { not_found: 'there is no such letter', already_replayed: 'it was replayed already', destination_removed: 'its store was removed; add it again first' }[result.reason];
      return redirectWith(c, back, { error: `Dead letter ${c.req.param('id')} was not replayed: ${why}.` });
    }
    await ctx.deps.storage.queuedOutside();
    return redirectWith(c, back, { ok: `Dead letter ${id} replayed: ${result.outboxOrderKey} is queued again.` });
  });
}
