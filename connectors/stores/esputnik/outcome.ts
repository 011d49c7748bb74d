import { classifyStatus, retryAfterMs, type DeliveryOutcome } from '../../../src/core/delivery/destination.ts';
import type { Exchange } from './client.ts';

const MAX_ERROR_TEXT = 2000;

export type Failure = Exclude<DeliveryOutcome, { outcome: 'delivered' }>;

/** Outcome of an exchange that did not succeed (or `null` when it did, i.e. 2xx). */
export function failureOf(ex: Exchange, now: number): Failure | null {
  if (ex.kind === 'no-answer') return { outcome: 'retry', error: `eSputnik did not answer: ${ex.error}` };
  const verdict = classifyStatus(ex.status);
  if (verdict === 'ok') return null;
  const error = storeError(ex.status, ex.body);
  if (verdict === 'rejected') return { outcome: 'rejected', error };
  const wait = retryAfterMs(ex.retryAfter, now);
  return wait === undefined ? { outcome: 'retry', error } : { outcome: 'retry', error, retryAfterMs: wait };
}

/** "eSputnik 400: <the store's own body>", trimmed so a huge page cannot bloat the dead letter. */
export function storeError(status: number, body: string): string {
  const text = body.trim() === '' ? '(empty body)' : body.trim().slice(0, MAX_ERROR_TEXT);
  return `eSputnik ${status}: ${text}`;
}

/** One order eSputnik listed as failed in a 200 answer to `POST /v1/orders`. */
export interface FailedOrder {
  /** null when the store's entry does not say which order it was. */
  externalOrderId: string | null;
  /** The store's text for it. */
  error: string;
}

const ERROR_FIELDS = ['errorMessage', 'error', 'message', 'errors', 'reason'];

/**
 * Reads the failed orders from a 200 answer. The document only says the answer lists them, so this
 * accepts `{failedOrders|failed|errors: [...]}` (the simulator sends the first), each entry a failure;
 * in `{orders: [...]}` or a bare array, which might echo every order sent, only entries that carry an
 * error field count. Empty or non-JSON = none failed.
 */
export function parseFailedOrders(body: string): FailedOrder[] {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? null : JSON.parse(body);
  } catch {
    return [];
  }
  const failures = pickArray(parsed, ['failedOrders', 'failed', 'errors']);
  const list = failures ?? (Array.isArray(parsed) ? parsed : pickArray(parsed, ['orders']) ?? []).filter(carriesError);
  return list.map((entry) => ({ externalOrderId: idOf(entry), error: messageOf(entry) }));
}

function carriesError(entry: unknown): boolean {
  if (!entry || typeof entry !== 'object') return false;
  const e = entry as Record<string, unknown>;
  return ERROR_FIELDS.some((key) => (typeof e[key] === 'string' && e[key] !== '') || (Array.isArray(e[key]) && e[key].length > 0));
}

function pickArray(value: unknown, keys: string[]): unknown[] | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (Array.isArray(v)) return v;
  }
  return null;
}

function idOf(entry: unknown): string | null {
  if (!entry || typeof entry !== 'object') return null;
  const e = entry as Record<string, unknown>;
  const nested = e.order && typeof e.order === 'object' ? (e.order as Record<string, unknown>).externalOrderId : undefined;
  const id = e.externalOrderId ?? nested;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function messageOf(entry: unknown): string {
  if (entry && typeof entry === 'object') {
    const e = entry as Record<string, unknown>;
    for (const key of ERROR_FIELDS) {
      const v = e[key];
      if (typeof v === 'string' && v !== '') return v;
      if (Array.isArray(v) && v.length > 0) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('; ');
    }
  }
  return JSON.stringify(entry);
}
