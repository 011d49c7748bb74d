// A page of GET /api/orders as its response body, and where a runtime reads it: the stored orders' JSON bytes as they are
// (parsing 500 orders to serialise them again held webhooks for tens of ms), in one buffer a worker thread can hand over.
import type { LocalOrderPage, LocalOrderQuery, LocalStoreReader } from '../../core/localStore/localStore.ts';

/** Reads a page of the local store's orders as the response's JSON bytes (on Node from a thread of its own). */
export type OrderPageReader = (query: LocalOrderQuery) => Promise<Uint8Array<ArrayBuffer>>;

const encoder = new TextEncoder();
const OPEN = encoder.encode('{"orders":[');
const COMMA = encoder.encode(',');

/** `{"orders":[…],"nextCursor":…}` in a buffer of its own (never a slice of a shared pool: it may be transferred). */
export function orderPageBody(page: LocalOrderPage): Uint8Array<ArrayBuffer> {
  const close = encoder.encode(`],"nextCursor":${JSON.stringify(page.nextCursor)}}`);
  const parts: Uint8Array[] = [OPEN];
  page.orders.forEach((order, i) => parts.push(...(i > 0 ? [COMMA, order] : [order])));
  parts.push(close);
  const body = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.byteLength;
  }
  return body;
}

/** On the request's own thread (the Workers runtime, an in-memory database, tests). */
export function inlineOrderPages(local: LocalStoreReader): OrderPageReader {
  return async (query) => orderPageBody(local.list(query));
}
