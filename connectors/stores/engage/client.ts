// HTTP client for Engage Order History: one POST /v1/orders per call, answer classified, secret never echoed.
import type { BodyText } from '../../../src/core/delivery/jsonText.ts';
import { classifyStatus, retryAfterMs, type StoreAnswer, type StoreFetch } from '../../../src/core/delivery/destination.ts';

export const ENGAGE_BASE_URL = 'https://api-dot-solutionsone-211314.ew.r.appspot.com';
export const ENGAGE_ORDERS_PATH = '/v1/orders';

/** What one request came to. `invalid` = Engage refused the content (some order in it is bad). */
export type EngageAnswer =
  | { kind: 'ok' }
  | { kind: 'invalid'; error: string }
  | { kind: 'rejected'; error: string }
  | { kind: 'retry'; error: string; retryAfterMs?: number };

export interface EngageClientOptions {
  baseUrl: string;
  token: string;
  fetch: StoreFetch;
  now(): number;
}

const MAX_ERROR_TEXT = 2000;

export class EngageClient {
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly opts: EngageClientOptions) {
    this.url = opts.baseUrl.replace(/\/+$/, '') + ENGAGE_ORDERS_PATH;
    this.headers = { Authorization: `Bearer ${opts.token}`, 'Content-Type': 'application/json' };
  }

  /** Sends an already encoded body (one order or an array of up to 250). Never throws. */
  async postOrders(body: BodyText): Promise<EngageAnswer> {
    let res: StoreAnswer;
    let text: string;
    try {
      res = await this.opts.fetch(this.url, { method: 'POST', headers: this.headers, body, redirect: 'error' });
      text = await res.text();
    } catch (err) {
      return { kind: 'retry', error: describeNetworkError(err) };
    }
    const label = `Engage ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    const error = text ? `${label}: ${text.slice(0, MAX_ERROR_TEXT)}` : label;
    // 400 is "Order upload failed" (seed 000); 413/422 likewise say the content is at fault.
    if (res.status === 400 || res.status === 413 || res.status === 422) return { kind: 'invalid', error };
    switch (classifyStatus(res.status)) {
      case 'ok':
        return { kind: 'ok' };
      case 'retry': {
        const after = retryAfterMs(res.headers.get('retry-after'), this.opts.now());
        return after === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs: after };
      }
      case 'rejected':
        return { kind: 'rejected', error };
    }
  }
}

/** fetch failures carry the useful part (ECONNRESET, timeout) in the cause. */
function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `Engage request timed out (${err.message})`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    return `Engage network error: ${err.message}${detail ? ` (${detail})` : ''}`;
  }
  return `Engage network error: ${String(err)}`;
}
