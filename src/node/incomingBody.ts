// Node adapter: the webhook body straight from node's IncomingMessage, skipping the Fetch Request
// that @hono/node-server would otherwise build (web streams, AbortSignal) for every webhook.
import type { HttpBindings } from '@hono/node-server';
import { fetchBodyReader, type WebhookBodyReader } from '../http/webhookBody.ts';

export const incomingBodyReader: WebhookBodyReader = (c, maxBytes) => {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (!incoming || incoming.readableEnded) return fetchBodyReader(c, maxBytes);
  if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish();
        incoming.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      finish();
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      resolve({ bytes, text: bytes.toString('utf8') });
    };
    const onError = (error: Error) => {
      finish();
      reject(error);
    };
    const finish = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
  });
};
