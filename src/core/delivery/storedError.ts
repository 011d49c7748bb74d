// What is kept of a store's error text (outbox last_error, dead letters, the destination listing): bounded, and
// without the destination's key, which some stores and proxies echo back with the request's headers.

/** The longest error text kept; stores' own texts are cut at 2,000 already, this bounds what wraps them. */
export const MAX_STORED_ERROR = 4_000;

/** Shorter "secrets" (test keys, blanks) would redact ordinary words. */
const MIN_REDACTED = 8;

const REDACTED = '[redacted]';

/** The text with the secret, its base64 and any Basic credential holding it replaced, cut to MAX_STORED_ERROR. */
export function storedError(text: string, secret: string): string {
  let out = text;
  if (secret.length >= MIN_REDACTED) {
    const binary = String.fromCharCode(...new TextEncoder().encode(secret)); // atob/btoa speak bytes as Latin-1
    out = out.replace(/\bBasic\s+([A-Za-z0-9+/=]{8,})/gi, (whole, token: string) => (decoded(token).includes(binary) ? `Basic ${REDACTED}` : whole));
    for (const form of [secret, btoa(binary), encodeURIComponent(secret)]) out = out.replaceAll(form, REDACTED);
  }
  return out.length > MAX_STORED_ERROR ? `${out.slice(0, MAX_STORED_ERROR)}…` : out;
}

function decoded(base64: string): string {
  try {
    return atob(base64);
  } catch {
    return '';
  }
}
