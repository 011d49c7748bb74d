import { createHmac, timingSafeEqual } from 'node:crypto';

// OAuth 1.0a one-legged signature check, as WooCommerce's WC_REST_Authentication does it over plain HTTP.

/** RFC 3986 encoding (PHP rawurlencode). */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** METHOD & enc(base URL) & enc(sorted "k=v" pairs), every key and value encoded first. */
export function oauthBaseString(method: string, baseUrl: string, params: ReadonlyArray<readonly [string, string]>): string {
  const pairs = params
    .filter(([k]) => k !== 'oauth_signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${rfc3986(baseUrl)}&${rfc3986(pairs)}`;
}

export function oauthSignature(base: string, consumerSecret: string, method: 'HMAC-SHA1' | 'HMAC-SHA256'): string {
  return createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${consumerSecret}&`).update(base).digest('base64');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** oauth_* parameters from an `Authorization: OAuth k="v", …` header. */
export function oauthHeaderParams(header: string | undefined): Array<[string, string]> {
  if (!header || !/^oauth\s/i.test(header)) return [];
  const out: Array<[string, string]> = [];
  for (const m of header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/gi)) {
    if (m[1]!.startsWith('oauth_')) out.push([m[1]!, decodeURIComponent(m[2]!)]);
  }
  return out;
}
