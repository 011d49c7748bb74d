// A key as stores and proxies may echo it back, and a check that none of it is left in kept text: no prefix of
// 8 characters of the key or of any of its encodings, and no base64 run that decodes to one.

const utf8Bytes = (text: string) => [...new TextEncoder().encode(text)];
const latin1 = (bytes: number[]) => String.fromCharCode(...bytes);

export const base64 = (text: string) => btoa(latin1(utf8Bytes(text)));
export const base64Url = (text: string) => base64(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** PHP's json_encode: slashes as `\/`, anything beyond ASCII as `\uXXXX` (lower-case hex). */
export const phpJson = (text: string) => JSON.stringify(text).slice(1, -1).replace(/\//g, '\\/')
  .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
/** Every character as `\uXXXX`, upper-case hex (some encoders escape everything). */
export const unicodeEscaped = (text: string) => [...text].map((c) => c.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join('')).join('');
/** Every byte percent-encoded, lower-case hex. */
export const percentAll = (text: string) => utf8Bytes(text).map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
export const hexBytes = (text: string) => utf8Bytes(text).map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
export const htmlEntities = (text: string) => [...text].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');

/** Each form a key may be echoed in, by name. */
export function keyForms(key: string, user = 'orderbridge'): Record<string, string> {
  return {
    plain: key,
    'JSON-escaped (PHP json_encode)': phpJson(`Bearer ${key}`),
    'JSON-escaped twice': phpJson(phpJson(`Bearer ${key}`)),
    'every character \\uXXXX': unicodeEscaped(key),
    base64: base64(key),
    'base64 after a prefix': base64(`token=${key}`),
    'base64url': base64Url(`x-api-key: ${key}`),
    'base64, JSON-escaped': phpJson(base64(`apikey ${key}!`)),
    Basic: `Basic ${base64(`${user}:${key}`)}`,
    'percent-encoded': encodeURIComponent(key),
    'percent-encoded, every byte': percentAll(key),
    'percent-encoded twice': encodeURIComponent(encodeURIComponent(key)),
    '\\x bytes': hexBytes(key),
    'HTML entities': htmlEntities(key),
  };
}

/** The key itself in each encoding: kept text must hold none of their first 8 characters. */
export function keyEncodings(key: string): Record<string, string> {
  return {
    plain: key, 'JSON-escaped': phpJson(key), 'JSON-escaped twice': phpJson(phpJson(key)), 'every character \\uXXXX': unicodeEscaped(key),
    base64: base64(key), base64url: base64Url(key), 'percent-encoded': encodeURIComponent(key), 'percent-encoded, every byte': percentAll(key),
    'percent-encoded twice': encodeURIComponent(encodeURIComponent(key)), '\\x bytes': hexBytes(key), 'HTML entities': htmlEntities(key),
  };
}

/** A run of base64 of any flavour, `/` possibly JSON-escaped or percent-encoded. */
const BASE64_RUN = /(?:[A-Za-z0-9+/_-]|\\+\/|%(?:25)*2[BbFf])+/g;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** What is left of the key in `text`, each trace named; empty when none. */
export function keyTraces(text: string, key: string): string[] {
  const traces: string[] = [];
  for (const [name, encoded] of Object.entries(keyEncodings(key))) {
    if (text.includes(encoded.slice(0, 8))) traces.push(`${name}: ${encoded.slice(0, 8)}`);
  }
  // Base64 of something holding the key (a Basic credential, a token) at any offset.
  const heads = [key.slice(0, 8), phpJson(key).slice(0, 8)];
  for (const run of text.match(BASE64_RUN) ?? []) {
    const b64 = run.replace(/\\+\//g, '/').replace(/%(?:25)*2[Bb]/g, '+').replace(/%(?:25)*2[Ff]/g, '/').replace(/-/g, '+').replace(/_/g, '/');
    for (let offset = 0; offset < 4; offset++) {
      const tail = b64.slice(offset);
      const aligned = tail.length % 4 === 1 ? tail.slice(0, -1) : tail;
      if (aligned.length < 8) continue;
      let decoded: string;
      try {
        decoded = utf8.decode(Uint8Array.from(atob(aligned), (c) => c.charCodeAt(0)));
      } catch {
        continue;
      }
      if (heads.some((h) => decoded.includes(h))) traces.push(`base64 ${run.slice(0, 40)}… decodes to the key's first characters`);
    }
  }
  return traces;
}

/**
 * An echo server's answer body: `padding` characters, then the key echoed in every form over and over for `span`
 * characters, so that a cut anywhere in that span falls inside an echo of some form.
 */
export function echoBody(key: string, opts: { padding: number; span: number; user?: string }): string {
  const forms = Object.values(keyForms(key, opts.user));
  let echoes = '';
  for (let i = 0; echoes.length < opts.span; i++) echoes += `${forms[i % forms.length]} `;
  return `{"error":"bad request","pad":"${'x'.repeat(opts.padding)}","headers":"${echoes}"}`;
}
