import { Agent, type Dispatcher } from 'undici';
import type { StoreAnswer, StoreFetch, StoreRequest } from '../core/delivery/storeHttp.ts';
import { NodeHeaders } from './nodeHeaders.ts';

/**
 * The Node runtime's HTTP client for stores, one per timeout: undici's request on a pool that gives up
 * on an answer (headers, or a pause in the body) after `timeoutMs`. Leaner than fetch, which builds a
 * Request, a web stream per body and a listener and finalizer for an AbortSignal per request: at one
 * order per request (Voyado) that was most of the connector's CPU. The answer's body is read before
 * it is handed over, so a client that skips it cannot hold a connection.
 */
export class StoreConnections {
  private readonly pools = new Map<number, { pool: Agent; fetch: StoreFetch }>();

  /** The client whose requests give up after `timeoutMs` without an answer. */
  readonly fetchFor = (timeoutMs: number): StoreFetch => {
    let entry = this.pools.get(timeoutMs);
    if (!entry) {
      const pool = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) });
      const fetch: StoreFetch = (url, init) => send(pool, url, init, timeoutMs).catch((error: unknown) => {
        throw asTimeout(error, timeoutMs);
      });
      entry = { pool, fetch };
      this.pools.set(timeoutMs, entry);
    }
    return entry.fetch;
  };

  /** Closes the kept-alive connections (after the engine stopped: nothing is in flight). */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.pool.close()));
  }
}

/** The most of an answer's body kept: stores answer in kilobytes, and a runaway body must not fill the memory. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

async function send(pool: Agent, url: string, init: StoreRequest, timeoutMs: number): Promise<StoreAnswer> {
  const target = new URL(url);
  const { statusCode, statusText, headers, body } = await pool.request({
    origin: target.origin, path: `${target.pathname}${target.search}`,
    method: (init.method ?? 'GET') as 'GET', headers: withDefaults(init.headers), body: init.body ?? null, signal: init.signal ?? null,
  });
  if (statusCode >= 300 && statusCode < 400 && init.redirect === 'error') {
    await body.dump(); // read off, so the connection can be reused
    throw new TypeError(`unexpected redirect (${statusCode}) from ${url}`);
  }
  // The pool's bodyTimeout is per pause: a body trickling a byte a second would hold the request (and its lane) for ever.
  const deadline = setTimeout(() => body.destroy(Object.assign(new Error('body deadline'), { code: 'UND_ERR_BODY_TIMEOUT' })), timeoutMs);
  let text: string;
  try {
    const length = Number(headers['content-length']);
    text = length >= 0 && length <= MAX_ANSWER_BYTES ? await body.text() : await boundedText(body);
  } finally {
    clearTimeout(deadline);
  }
  return {
    status: statusCode,
    statusText: statusText ?? '',
    headers: new NodeHeaders(headers),
    text: () => Promise.resolve(text),
  };
}

/** At most MAX_ANSWER_BYTES of a body of unannounced or excessive length; the rest is not read (its connection closes). */
async function boundedText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = MAX_ANSWER_BYTES - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= MAX_ANSWER_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

// What fetch would have sent when the client names none: some APIs' firewalls refuse a request without a User-Agent.
const ACCEPT = { accept: '*/*' };
const USER_AGENT = { 'user-agent': 'orderbridge' };

/** The client's headers plus the defaults it left out (Voyado's name both: no copy per request). */
function withDefaults(headers: Record<string, string> | undefined): Record<string, string> {
  if (!headers) return { ...ACCEPT, ...USER_AGENT };
  let accept = false;
  let agent = false;
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (lower === 'accept') accept = true;
    else if (lower === 'user-agent') agent = true;
  }
  return accept && agent ? headers : { ...(accept ? null : ACCEPT), ...(agent ? null : USER_AGENT), ...headers };
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A pool timeout fails the request as fetch's would (a TimeoutError), so clients word it the same on every
 * runtime; the pool's error stays its cause (a connect timeout means nothing was sent: see neverSent).
 */
export function asTimeout(error: unknown, timeoutMs: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TIMEOUT_CODES.has(code)
    ? Object.assign(new DOMException(`no answer within ${timeoutMs} ms (${code})`, 'TimeoutError'), { cause: error })
    : error;
}
