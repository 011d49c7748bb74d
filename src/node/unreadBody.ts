// An answer given before the request's body was read (a 404, a 401, an admin 413 from Content-Length) on a kept-alive
// connection. @hono/node-server drains such a body after answering, but for at most 500 ms and only while nothing else
// holds the body: once a middleware has touched `c.req.raw.body` (hono's bodyLimit does, for every admin request), the
// web stream it made pauses the drain after a chunk, the 500 ms pass, and the socket is closed under the sender's next
// request (the fuzz drill's "closed under a request"). So the body is read off here, through the same stream, before the
// answer goes; a body too large or too slow to read gets the answer with `Connection: close` instead of a silent close.
import type { Http2Bindings, HttpBindings } from '@hono/node-server';

type Fetch = (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;

export interface UnreadBodyLimits {
  /** Read off and dropped at most (the webhook reader's own drain limit before a 413). */
  maxBytes: number;
  /** Waited for at most: a sender that stops mid-body gets its answer and a closed connection. */
  maxWaitMs: number;
}

export const UNREAD_BODY_LIMITS: UnreadBodyLimits = { maxBytes: 64 * 1024 * 1024, maxWaitMs: 10_000 };

/** `fetch`, but every answer to a request whose body was left unread waits until that body is read off (within limits). */
export function readingUnreadBodies(fetch: Fetch, limits: UnreadBodyLimits = UNREAD_BODY_LIMITS): Fetch {
  return (request, env) => {
    const answer = fetch(request, env);
    return answer instanceof Promise ? answer.then((response) => afterBody(response, request, env, limits)) : afterBody(answer, request, env, limits);
  };
}

function afterBody(response: Response, request: Request, env: HttpBindings | Http2Bindings, limits: UnreadBodyLimits): Response | Promise<Response> {
  const incoming = env?.incoming;
  // Read to its end already (every webhook), or no body to read: the common case costs this one check.
  if (!incoming || incoming.readableEnded || incoming.destroyed || request.method === 'GET' || request.method === 'HEAD') return response;
  // The app closes this connection itself (a webhook body declared too large to read off).
  if (response.headers.get('connection')?.toLowerCase() === 'close') return response;
  if (Number(incoming.headers['content-length'] ?? 0) > limits.maxBytes) return closing(response);
  const body = request.body;
  if (!body) return response;
  if (body.locked) return closing(response);
  return readOff(body, limits).then((read) => (read ? response : closing(response)));
}

/** True once the body ended within the limits; false (the reader released, the stream left as it is) otherwise. */
async function readOff(body: ReadableStream<Uint8Array>, { maxBytes, maxWaitMs }: UnreadBodyLimits): Promise<boolean> {
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), maxWaitMs)));
  let bytes = 0;
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), late]);
      if (chunk === 'late') return false;
      if (chunk.done) return true;
      bytes += chunk.value.byteLength;
      if (bytes > maxBytes) return false;
    }
  } catch {
    return false; // the sender hung up: there is no one to keep the connection for
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

/** The same answer, telling the sender this connection ends with it. */
function closing(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('connection', 'close');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
