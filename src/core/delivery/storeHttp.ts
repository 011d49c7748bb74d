// What stores' clients need of HTTP: the global fetch fits, and so does the Node runtime's leaner client (src/node/storeConnections.ts).
import type { BodyText } from './jsonText.ts';
import { withoutSecret } from './secretEcho.ts';

/** A request to a store. Redirects are never followed: 'manual' hands a 3xx over, 'error' fails on one. */
export interface StoreRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Text, or UTF-8 bytes (bodies the preparation thread encoded). */
  body?: BodyText;
  redirect: 'error' | 'manual';
  signal?: AbortSignal;
  /** Paces this request in another store kind's budget, not its destination's (see RequestBudget). */
  budget?: RequestBudget;
}

/**
 * A method another store kind also calls on the same account, inside that kind's documented limit (an
 * eSputnik events destination importing contacts through v1/orders, whose 200/s esputnik-orders shares).
 */
export interface RequestBudget {
  kind: string;
  /** That kind's rateGroup for the account. */
  group: string;
  perSecond: number;
}

/** A store's answer, as much of a fetch Response as the clients read. */
export interface StoreAnswer {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type StoreFetch = (url: string, init: StoreRequest) => Promise<StoreAnswer>;

/**
 * The answer as clients read it: the destination's key, which a store or a proxy may echo back with the request's
 * headers, redacted from its body, status text and headers before a client parses or cuts any of them.
 */
export function withoutEchoedSecret(answer: StoreAnswer, secret: string): StoreAnswer {
  return {
    status: answer.status,
    statusText: withoutSecret(answer.statusText, secret),
    headers: { get: (name) => {
      const value = answer.headers.get(name);
      return value === null ? null : withoutSecret(value, secret);
    } },
    text: async () => withoutSecret(await answer.text(), secret),
  };
}

/** Errors of a connection that was never made: the request cannot have reached the store. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/** True when the error (or what caused it: fetch wraps the socket's error) says no connection was made. */
export function neverSent(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
    // AggregateError (happy eyeballs tried several addresses): never sent only if no attempt connected.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) return errors.every((x) => neverSent(x));
  }
  return false;
}
