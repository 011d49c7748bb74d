// HTTP client for Voyado Engage orders v3: one request per call, answers classified, the API key never echoed.
import { classifyStatus, retryAfterMs, type StoreAnswer, type StoreFetch } from '../../../src/core/delivery/destination.ts';
import type {
  VoyadoActionRequest, VoyadoChangeDelivery, VoyadoChangeStatus, VoyadoOrder,
} from '../../../mappings/stores/voyado/index.ts';

export const voyadoTenantUrl = (tenant: string) => `https://${tenant}.voyado.com/api/v3`;

/**
 * ok = 2xx/3xx (3xx is read, not followed: a finished job redirects to the order);
 * retry = network, timeout, 408/425/429/5xx, and 401/403 (the destination's key, not the order, is wrong);
 * refused = any other 4xx, with Voyado's own text.
 */
export type VoyadoAnswer =
  | { kind: 'ok'; status: number; body: unknown; location: string | null }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'refused'; status: number; error: string; body: unknown };

export interface VoyadoClientOptions {
  baseUrl: string;
  apiKey: string;
  userAgent: string;
  fetch: StoreFetch;
  now(): number;
}

const MAX_ERROR_TEXT = 2000;

export class VoyadoClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly opts: VoyadoClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.headers = { apikey: opts.apiKey, 'User-Agent': opts.userAgent, Accept: 'application/json' };
  }

  createOrder(order: VoyadoOrder): Promise<VoyadoAnswer> {
    return this.request('POST', '/orders', order);
  }

  replaceOrder(orderId: string, order: VoyadoOrder): Promise<VoyadoAnswer> {
    return this.request('PUT', `/orders/${enc(orderId)}`, order);
  }

  deleteOrder(orderId: string): Promise<VoyadoAnswer> {
    return this.request('DELETE', `/orders/${enc(orderId)}`);
  }

  getOrder(orderId: string): Promise<VoyadoAnswer> {
    return this.request('GET', `/orders/${enc(orderId)}`);
  }

  changeStatus(orderId: string, body: VoyadoChangeStatus): Promise<VoyadoAnswer> {
    return this.request('POST', `/orders/${enc(orderId)}/change-status`, body);
  }

  changeDelivery(orderId: string, body: VoyadoChangeDelivery): Promise<VoyadoAnswer> {
    return this.request('POST', `/orders/${enc(orderId)}/change-delivery`, body);
  }

  triggerAction(orderId: string, body: VoyadoActionRequest): Promise<VoyadoAnswer> {
    return this.request('POST', `/orders/${enc(orderId)}/action`, body);
  }

  /** Polls a job at the path `jobPath` chose; its redirect (to the finished order) is an answer, as nowhere else. */
  getJob(path: string): Promise<VoyadoAnswer> {
    return this.request('GET', path, undefined, true);
  }

  /** Where to poll a job: the link Voyado gave (`href`, else Location) when it lies under our base URL; else /orders/jobs/{id}. */
  jobPath(jobId: string, link: string | null): string {
    return this.pathUnderBase(link) ?? `/orders/jobs/${enc(jobId)}`;
  }

  /** The link's path relative to the base URL, or null when it points elsewhere (the apikey goes only to our tenant). */
  private pathUnderBase(link: string | null): string | null {
    // An absolute URL or path only: anything else is not a link we can trust to mean the job.
    if (!link || !(/^https?:\/\//i.test(link) || link.startsWith('/'))) return null;
    let url: URL;
    try {
      url = new URL(link, `${this.base}/`);
    } catch {
      return null;
    }
    const base = new URL(`${this.base}/`);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
    const path = url.pathname.slice(base.pathname.length - 1) + url.search;
    return path.length > 1 ? path : null;
  }

  async request(method: string, path: string, body?: unknown, redirectAnswers = false): Promise<VoyadoAnswer> {
    const headers = body === undefined ? this.headers : { ...this.headers, 'Content-Type': 'application/json' };
    let res: StoreAnswer;
    let text: string;
    try {
      res = await this.opts.fetch(this.base + path, {
        method, headers, redirect: 'manual', ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      text = await res.text();
    } catch (err) {
      return { kind: 'retry', error: describeNetworkError(method, path, err) };
    }
    const parsed = parseJson(text);
    // Elsewhere a redirect is a moved host or http → https (the destination's URL to fix), never "stored".
    if (res.status < 300 || (res.status < 400 && redirectAnswers)) return { kind: 'ok', status: res.status, body: parsed, location: res.headers.get('location') };
    const label = `Voyado ${method} ${path} → ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (res.status < 400) return { kind: 'retry', error: `${label} to ${(res.headers.get('location') ?? '(nowhere)').slice(0, 200)}: is baseUrl right?` };
    const error = text ? `${label}: ${text.slice(0, MAX_ERROR_TEXT)}` : label;
    if (classifyStatus(res.status) === 'retry') {
      const after = retryAfterMs(res.headers.get('retry-after'), this.opts.now());
      return after === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs: after };
    }
    return { kind: 'refused', status: res.status, error, body: parsed };
  }
}

const enc = (segment: string) => encodeURIComponent(segment);

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** fetch failures carry the useful part (ECONNRESET, timeout) in the cause. */
function describeNetworkError(method: string, path: string, err: unknown): string {
  const where = `Voyado ${method} ${path}`;
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `${where} timed out (${err.message})`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    return `${where} network error: ${err.message}${detail ? ` (${detail})` : ''}`;
  }
  return `${where} network error: ${String(err)}`;
}
