// The webhook's raw body, read once within the size limit; HMACs are computed over exactly these bytes.
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from '../problem.ts';

/** Header look-up by name, case-insensitive; a Fetch `Headers` is one. */
export type WebhookHeaders = Pick<Headers, 'get'>;

/** The body exactly as received, as text for parsing, and the request's headers as the runtime holds them. */
export interface WebhookBody {
  bytes: Uint8Array;
  text: string;
  headers: WebhookHeaders;
}

/** The connection closed before the body was whole: the sender hung up, and nothing failed here. */
export class IncompleteBody extends Error {
  override readonly name = 'IncompleteBody';
  constructor(cause: unknown) {
    super(`the connection closed before the body was whole (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}

/** The body, or null when it is larger than `maxBytes`; rejects with IncompleteBody when the sender hangs up first. */
export type WebhookBodyReader = (c: Context, maxBytes: number) => Promise<WebhookBody | null>;

export interface WebhookEnv {
  /** rawBytes is what signatures are computed over; rawBody is its UTF-8 text. Read with c.get: c.var copies every variable a use. */
  Variables: { rawBody: string; rawBytes: Uint8Array; webhookHeaders: WebhookHeaders };
}

/** Any runtime: the Fetch Request's body stream, counted as it arrives. */
export const fetchBodyReader: WebhookBodyReader = async (c, maxBytes) => {
  if (Number(c.req.header('content-length') ?? 0) > maxBytes) return null;
  const { body, headers } = c.req.raw;
  if (!body) return { bytes: new Uint8Array(0), text: '', headers };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch (error) {
      throw new IncompleteBody(error);
    }
    const { done, value } = read;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, text: new TextDecoder().decode(bytes), headers };
};

/** Reads the body into the context's `rawBytes` (its text into `rawBody`, the headers into `webhookHeaders`), or answers 413. */
export function webhookBody(read: WebhookBodyReader, maxBytes: number): MiddlewareHandler<WebhookEnv> {
  return async (c, next) => {
    let body: WebhookBody | null;
    try {
      body = await read(c, maxBytes);
    } catch (error) {
      if (!(error instanceof IncompleteBody)) throw error;
      // Nobody is left to read the answer; the sender's to retry, nothing of ours to report.
      return problem(c, 400, 'incomplete_body', error.message);
    }
    if (body === null) {
      // The rest of the body may still be on the wire: close rather than leave the connection half-read.
      c.header('Connection', 'close');
      return problem(c, 413, 'body_too_large', `webhook bodies are limited to ${maxBytes} bytes`);
    }
    c.set('rawBody', body.text);
    c.set('rawBytes', body.bytes);
    c.set('webhookHeaders', body.headers);
    await next();
  };
}
