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

/** The body, or null when it is larger than `maxBytes`. */
export type WebhookBodyReader = (c: Context, maxBytes: number) => Promise<WebhookBody | null>;

export interface WebhookEnv {
  /** rawBytes is what signatures are computed over; rawBody is its UTF-8 text. */
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
    const { done, value } = await reader.read();
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

/** Reads the body into `c.var.rawBytes` (its text into `c.var.rawBody`, the headers into `c.var.webhookHeaders`), or answers 413. */
export function webhookBody(read: WebhookBodyReader, maxBytes: number): MiddlewareHandler<WebhookEnv> {
  return async (c, next) => {
    const body = await read(c, maxBytes);
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
