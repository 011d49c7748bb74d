import type { StoreFetch } from '../../../src/core/delivery/destination.ts';
import { encodedBody, joinJson, type BodyText, type JsonText } from '../../../src/core/delivery/jsonText.ts';
import type { EsputnikEvent } from '../../../mappings/stores/esputnik/index.ts';

/** The documented ceiling of `POST /v1/orders`. */
export const MAX_ORDERS_PER_REQUEST = 1000;

export interface EsputnikConnection {
  /** e.g. https://esputnik.com/api (no trailing slash needed). */
  baseUrl: string;
  /** Any user name: eSputnik only checks the password (the API key). */
  userName: string;
  apiKey: string;
  /** Paced, timed fetch from the delivery engine. */
  fetch: StoreFetch;
}

/** What came back from one request: an HTTP answer, or no answer at all (network, timeout). */
export type Exchange =
  | { kind: 'answer'; status: number; body: string; retryAfter: string | null }
  | { kind: 'no-answer'; error: string };

/** HTTP Basic with the API key as password; UTF-8 safe. */
export function basicAuthorization(userName: string, apiKey: string): string {
  const bytes = new TextEncoder().encode(`${userName}:${apiKey}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** The eSputnik endpoints orderbridge uses; one method per request, no decisions about what to send. */
export class EsputnikClient {
  private readonly base: string;

  constructor(private readonly conn: EsputnikConnection) {
    this.base = conn.baseUrl.replace(/\/+$/, '');
  }

  /** `POST /v1/orders`: creates or updates (same externalOrderId) up to 1000 orders. */
  addOrders(orders: readonly JsonText[]): Promise<Exchange> {
    if (orders.length > MAX_ORDERS_PER_REQUEST) throw new RangeError(`at most ${MAX_ORDERS_PER_REQUEST} orders a request`);
    return this.send('POST', '/v1/orders', addOrdersBody(orders));
  }

  /** `DELETE /v1/orders?externalOrderId=`: eSputnik deletes asynchronously. */
  deleteOrder(externalOrderId: string): Promise<Exchange> {
    return this.send('DELETE', `/v1/orders?externalOrderId=${encodeURIComponent(externalOrderId)}`);
  }

  /** `POST /v1/event`: one event a request. */
  sendEvent(event: EsputnikEvent): Promise<Exchange> {
    return this.send('POST', '/v1/event', event);
  }

  /** `body`: an object to encode, or a body already encoded (text or bytes). */
  private async send(method: string, path: string, body?: unknown): Promise<Exchange> {
    const headers: Record<string, string> = {
      Authorization: basicAuthorization(this.conn.userName, this.conn.apiKey),
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    try {
      const res = await this.conn.fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : encodedBody(body),
        redirect: 'manual',
      });
      return { kind: 'answer', status: res.status, body: await res.text(), retryAfter: res.headers.get('Retry-After') };
    } catch (err) {
      return { kind: 'no-answer', error: describeFailure(err) };
    }
  }
}

// Errors from fetch never carry request headers, so the key cannot leak through them.
function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timed out (${err.message})`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code || cause?.message ? `${err.message}: ${cause.code ?? cause.message}` : err.message;
  }
  return String(err);
}

export function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The `POST /v1/orders` body around orders each already encoded as JSON (the body JSON.stringify({ orders }) gives, as text or UTF-8 bytes). */
export function addOrdersBody(orders: readonly JsonText[]): BodyText {
  return joinJson('{"orders":[', orders, ']}');
}
