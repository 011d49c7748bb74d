// Encoded JSON as stores send it: text when prepared on the event loop, UTF-8 bytes when the preparation
// thread packed it (src/node/preparedBytes.ts), so the event loop neither joins nor encodes batch bodies.

/** One value's JSON: text, or its UTF-8 bytes. */
export type JsonText = string | Uint8Array<ArrayBuffer>;

/** A request body: text, or UTF-8 bytes. */
export type BodyText = string | Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const COMMA = 0x2c;

/** `${prefix}${parts.join(',')}${suffix}` as one body: text when every part is text, else bytes (one copy of each part). */
export function joinJson(prefix: string, parts: readonly JsonText[], suffix: string): BodyText {
  if (parts.every((p): p is string => typeof p === 'string')) return `${prefix}${parts.join(',')}${suffix}`;
  const head = encoder.encode(prefix);
  const tail = encoder.encode(suffix);
  const bytes = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  let size = head.length + tail.length + Math.max(0, bytes.length - 1);
  for (const b of bytes) size += b.length;
  const out = new Uint8Array(size);
  out.set(head, 0);
  let at = head.length;
  bytes.forEach((b, i) => {
    if (i > 0) out[at++] = COMMA;
    out.set(b, at);
    at += b.length;
  });
  out.set(tail, at);
  return out;
}

/** A body to send: an encoded one (text or bytes) as it is, any other value as its JSON. */
export function encodedBody(body: unknown): BodyText {
  return typeof body === 'string' || body instanceof Uint8Array ? (body as BodyText) : JSON.stringify(body);
}

/** The text of encoded JSON (tests, error messages). */
export function jsonString(json: JsonText): string {
  return typeof json === 'string' ? json : decoder.decode(json);
}
