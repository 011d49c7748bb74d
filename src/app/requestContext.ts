// What a request's handlers leave for its log line and metrics, on Hono's context (typed for every route).
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id: its X-Request-Id answer header and its log lines carry it. */
    requestId: string;
    /** Set by a webhook route once the request is trusted (signed): the topic and shop it names. */
    webhookSource: { topic: string; shop: string };
    /** How the request ended: an ingest outcome, `ping`, or the code of the problem answered. */
    outcome: string;
  }
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** An id a proxy or the sender chose is kept when it is short and plain (it goes into log lines as it is). */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Takes a sane incoming X-Request-Id, or makes one; every answer carries it. */
export function requestId(): MiddlewareHandler {
  return async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
    // An answer made outside the context's headers (an error handler's, a sub-app's) still carries it.
    if (!c.res.headers.has(REQUEST_ID_HEADER)) c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
