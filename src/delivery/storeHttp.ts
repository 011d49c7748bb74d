// What stores' clients need of HTTP: the global fetch fits, and so does the Node runtime's leaner client (src/node/storeConnections.ts).
import type { BodyText } from './jsonText.ts';

/** A request to a store. Redirects are never followed: 'manual' hands a 3xx over, 'error' fails on one. */
export interface StoreRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Text, or UTF-8 bytes (bodies the preparation thread encoded). */
  body?: BodyText;
  redirect: 'error' | 'manual';
  signal?: AbortSignal;
}

/** A store's answer, as much of a fetch Response as the clients read. */
export interface StoreAnswer {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type StoreFetch = (url: string, init: StoreRequest) => Promise<StoreAnswer>;
