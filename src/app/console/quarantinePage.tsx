// /admin/quarantine: webhooks whose payload could not be read, newest first, with the error and the payload.
import type { Hono } from 'hono';
import { csrfOf, type ConsoleContext } from './consoleContext.ts';
import { Page, when } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';

const PAGE = 25;
/** Enough of a payload to see what was wrong with it; an order can be megabytes. */
const SHOWN_BYTES = 20_000;

export function quarantinePage(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  r.get('/quarantine', (c) => {
    const before = Number(c.req.query('before') ?? 0);
    const items = ctx.deps.storage.quarantined({ limit: PAGE, ...(Number.isSafeInteger(before) && before > 0 ? { before } : {}) });
    return c.html(
      <Page title="Quarantine" csrf={csrfOf(c)}>
        <p class="hint">Webhooks that arrived signed, and orders a resync read, that could not be read into an order. They are kept for a while to look at; the platform's next change of the order comes through as usual.</p>
        {items.length === 0 ? <section><p>Nothing in quarantine.</p></section> : items.map((q) => (
          <section data-quarantine={q.id}>
            <strong>#{q.id} · {q.shopId} · {q.topic}</strong>
            <p class="hint">{when(q.createdAt)}{q.deliveryId && <> · delivery {q.deliveryId}</>}{q.jobId !== null && <> · resync {q.jobId}, order {q.orderId}</>}</p>
            <pre class="error-text">{q.error}</pre>
            <details>
              <summary>Payload ({q.body.length.toLocaleString('en')} characters)</summary>
              <pre>{q.body.length > SHOWN_BYTES ? `${q.body.slice(0, SHOWN_BYTES)}\n… (${q.body.length - SHOWN_BYTES} more)` : q.body}</pre>
            </details>
          </section>
        ))}
        {items.length === PAGE && <p><a href={`/admin/quarantine?before=${items.at(-1)!.id}`}>Older →</a></p>}
      </Page>,
    );
  });
}
