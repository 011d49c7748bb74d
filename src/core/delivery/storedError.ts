// What is kept of a store's error text (outbox last_error, dead letters, the destination listing): bounded, and
// without the destination's key, which some stores and proxies echo back with the request's headers.
import { withoutSecret } from './secretEcho.ts';

/** The longest error text kept; store clients cut stores' own texts at 2,000 already (answers reach them redacted), this bounds what wraps them. */
export const MAX_STORED_ERROR = 4_000;

/** The text with every echo of the secret redacted (see secretEcho.ts), then cut to MAX_STORED_ERROR: never the other way round. */
export function storedError(text: string, secret: string): string {
  const out = withoutSecret(text, secret);
  return out.length > MAX_STORED_ERROR ? `${out.slice(0, MAX_STORED_ERROR)}…` : out;
}
