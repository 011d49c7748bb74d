import type { StoreFetch } from '../../../src/core/delivery/destination.ts';
import { encodedBody, joinJson, type BodyText, type JsonText } from '../../../src/core/delivery/jsonText.ts';
import type { EsMatchBy, EsStatusBody } from '../../../mappings/stores/expertsender/index.ts';

/** The real API host (seed 002). */
export const ES_BASE_URL = 'https://api.ecdp.app';

/** What one call produced: the store's answer, or no answer at all. */
export type EsCallResult =
  | { kind: 'response'; status: number; retryAfter: string | null; text: string }
  | { kind: 'network'; error: string };

function networkError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer from ExpertSender: ${err.name === 'TimeoutError' ? 'timed out' : 'aborted'}`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message;
    return `network error talking to ExpertSender: ${err.message}${why ? ` (${why})` : ''}`;
  }
  return `network error talking to ExpertSender: ${String(err)}`;
}

/**
 * Speaks the ECDP orders API: x-api-key auth and the four order endpoints. One method is
 * one HTTP call with no retries; pacing and timeouts come with the fetch it is given.
 */
export class ExpertSenderClient {
  private readonly base: string;

  constructor(
    private readonly fetchFn: StoreFetch,
    baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** POST /orders AddOrReplace of a batch of orders, each already encoded as JSON (text or bytes; 201 on success). */
  postOrders(orders: readonly JsonText[], matchBy: EsMatchBy | undefined): Promise<EsCallResult> {
    return this.call('POST', '/orders', postOrdersBody(orders, matchBy));
  }

  /** PUT /orders/status: changes only the status of an order the store already has. */
  putStatus(body: EsStatusBody): Promise<EsCallResult> {
    return this.call('PUT', '/orders/status', body);
  }

  /** DELETE /orders/{id}: marks the order IsDeleted. */
  deleteOrder(orderId: string): Promise<EsCallResult> {
    return this.call('DELETE', `/orders/${encodeURIComponent(orderId)}`);
  }

  /** GET /orders/{id}: the order as the store keeps it. */
  getOrder(orderId: string): Promise<EsCallResult> {
    return this.call('GET', `/orders/${encodeURIComponent(orderId)}`);
  }

  /** `body`: an object to encode, or a body already encoded (text or bytes). */
  private async call(method: string, path: string, body?: unknown): Promise<EsCallResult> {
    const headers: Record<string, string> = { 'x-api-key': this.apiKey, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : encodedBody(body),
        redirect: 'manual',
      });
      const text = await res.text();
      return { kind: 'response', status: res.status, retryAfter: res.headers.get('retry-after'), text };
    } catch (err) {
      return { kind: 'network', error: networkError(err) };
    }
  }
}

/**
 * The POST /orders body around orders already encoded (the text JSON.stringify of the body object gives).
 * Always AddOrReplace (of Add / AddOrReplace / Replace): idempotent, so safe to resend.
 */
export function postOrdersBody(orders: readonly JsonText[], matchBy: EsMatchBy | undefined): BodyText {
  return joinJson('{"mode":"AddOrReplace","data":[', orders, `]${matchBy ? `,"matchBy":${JSON.stringify(matchBy)}` : ''}}`);
}
