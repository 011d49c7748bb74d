// Node adapter: the webhook body and headers straight from node's IncomingMessage, skipping the Fetch
// Request parts that @hono/node-server would otherwise build (web streams, AbortSignal, Headers) for every webhook.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { fetchBodyReader, type WebhookBody, type WebhookBodyReader, type WebhookHeaders } from '../http/webhookBody.ts';

export const incomingBodyReader: WebhookBodyReader = (c, maxBytes) => {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (!incoming || incoming.readableEnded) return fetchBodyReader(c, maxBytes);
  if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => new IncomingBody(incoming, maxBytes, resolve, reject));
};

/**
 * One request's body being read. Bound methods rather than closures made per request: under tsx
 * (esbuild keepNames) every closure created costs a defineProperty (~0.5 µs each).
 */
class IncomingBody {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly incoming: IncomingMessage,
    private readonly maxBytes: number,
    private readonly resolve: (body: WebhookBody | null) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.onData = this.onData.bind(this);
    this.onEnd = this.onEnd.bind(this);
    this.onError = this.onError.bind(this);
    incoming.on('data', this.onData);
    incoming.on('end', this.onEnd);
    incoming.on('error', this.onError);
  }

  private onData(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.finish();
      this.incoming.pause();
      this.resolve(null);
      return;
    }
    this.chunks.push(chunk);
  }

  private onEnd(): void {
    this.finish();
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.resolve({ bytes, text: bytes.toString('utf8'), headers: new IncomingHeaders(this.incoming.headers) });
  }

  private onError(error: Error): void {
    this.finish();
    this.reject(error);
  }

  private finish(): void {
    this.incoming.off('data', this.onData);
    this.incoming.off('end', this.onEnd);
    this.incoming.off('error', this.onError);
  }
}

/**
 * node's own header object read as a Fetch `Headers` would answer: asking the Request for its headers
 * made @hono/node-server build a Fetch Headers per webhook (~10 KB of garbage and the WebIDL checks).
 */
class IncomingHeaders implements WebhookHeaders {
  constructor(private readonly headers: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    // node joins repeated headers with ", " except a few (set-cookie) it keeps as a list; Headers joins them all.
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}
