// Node adapter: the webhook body and headers straight from node's IncomingMessage, skipping the Fetch
// Request parts that @hono/node-server would otherwise build (web streams, AbortSignal, Headers) for every webhook.
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { fetchBodyReader, IncompleteBody, type WebhookBody, type WebhookBodyReader } from '../app/webhooks/webhookBody.ts';
import { NodeHeaders } from './nodeHeaders.ts';

/**
 * How much of a body over the limit is read off and dropped before the 413, so that the sender gets the
 * answer: closing a connection with unread bytes makes the kernel reset it, and the sender saw a reset.
 * A body declared (or growing) larger than this is cut off at once.
 */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

export const incomingBodyReader: WebhookBodyReader = (c, maxBytes) => {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (!incoming || incoming.readableEnded) return fetchBodyReader(c, maxBytes);
  if (Number(incoming.headers['content-length'] ?? 0) > DRAIN_LIMIT_BYTES) return Promise.resolve(null);
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
    this.onClose = this.onClose.bind(this);
    incoming.on('data', this.onData);
    incoming.on('end', this.onEnd);
    incoming.on('error', this.onError);
    incoming.on('close', this.onClose);
  }

  private onData(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size <= this.maxBytes) {
      this.chunks.push(chunk);
      return;
    }
    // Too large: keep nothing, read the rest off (up to the drain limit), then answer 413.
    this.chunks.length = 0;
    if (this.size > DRAIN_LIMIT_BYTES) {
      this.finish();
      this.incoming.pause();
      this.resolve(null);
    }
  }

  private onEnd(): void {
    this.finish();
    if (this.size > this.maxBytes) return this.resolve(null);
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.resolve({ bytes, text: bytes.toString('utf8'), headers: new NodeHeaders(this.incoming.headers) });
  }

  /** Node reports a sender hanging up mid-body as an error ("aborted", ECONNRESET): it is the sender's doing. */
  private onError(error: Error): void {
    this.finish();
    this.reject(new IncompleteBody(error));
  }

  /** Closed before the end without an error: the body will not come either. */
  private onClose(): void {
    this.finish();
    this.reject(new IncompleteBody('closed'));
  }

  private finish(): void {
    this.incoming.off('data', this.onData);
    this.incoming.off('end', this.onEnd);
    this.incoming.off('error', this.onError);
    this.incoming.off('close', this.onClose);
  }
}
