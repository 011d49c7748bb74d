// The WooCommerce REST client's class (@woocommerce/woocommerce-rest-api) over fetch and Web Crypto, for runtimes
// without axios's Node internals (Cloudflare Workers: wrangler.toml aliases the package to this file). Same options,
// same requests: OAuth 1.0a (HMAC-SHA256, in the query) over http, Basic auth (or keys in the query) over https.
// Answers come back as client.ts asks axios for them: the body as text, every status, headers by lower-case name.

export interface WooRestApiOptions {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  version?: string;
  wpAPIPrefix?: string;
  queryStringAuth?: boolean;
  /** Milliseconds; none by default, as the npm client. */
  timeout?: number;
  /** Ignored beyond what client.ts sets (text bodies, every status), which is how this class always answers. */
  axiosConfig?: unknown;
}

export interface WooRestAnswer {
  status: number;
  data: string;
  headers: Record<string, string>;
}

type Params = Record<string, unknown>;

/** RFC 3986 encoding, as OAuth 1.0a and PHP's rawurlencode want it. */
const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `{status: ['a','b']}` → `status[0]=a…`, as the npm client flattens objects; everything else as text. */
function flatten(params: Params): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object') for (const [prop, v] of Object.entries(value)) out.push([`${key}[${prop}]`, String(v)]);
    else out.push([key, String(value)]);
  }
  return out;
}

async function hmacSha256Base64(key: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const imported = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', imported, encoder.encode(text)));
  let binary = '';
  for (const b of signature) binary += String.fromCharCode(b);
  return btoa(binary);
}

export default class WooCommerceRestApi {
  private readonly base: string;

  constructor(private readonly options: WooRestApiOptions) {
    if (!options.url) throw new Error('url is required');
    if (!options.consumerKey) throw new Error('consumerKey is required');
    if (!options.consumerSecret) throw new Error('consumerSecret is required');
    const site = options.url.endsWith('/') ? options.url : `${options.url}/`;
    this.base = `${site}${options.wpAPIPrefix ?? 'wp-json'}/${options.version ?? 'wc/v3'}/`;
  }

  get(endpoint: string, params: Params = {}): Promise<WooRestAnswer> {
    return this.request('GET', endpoint, undefined, params);
  }

  post(endpoint: string, data: unknown, params: Params = {}): Promise<WooRestAnswer> {
    return this.request('POST', endpoint, data, params);
  }

  put(endpoint: string, data: unknown, params: Params = {}): Promise<WooRestAnswer> {
    return this.request('PUT', endpoint, data, params);
  }

  delete(endpoint: string, params: Params = {}): Promise<WooRestAnswer> {
    return this.request('DELETE', endpoint, undefined, params);
  }

  private async request(method: string, endpoint: string, data: unknown, params: Params): Promise<WooRestAnswer> {
    const url = new URL(endpoint, this.base);
    const headers = new Headers({ accept: 'application/json' });
    const query = flatten(params);
    if (url.protocol === 'https:') {
      if (this.options.queryStringAuth) query.unshift(['consumer_key', this.options.consumerKey], ['consumer_secret', this.options.consumerSecret]);
      else headers.set('authorization', `Basic ${btoa(`${this.options.consumerKey}:${this.options.consumerSecret}`)}`);
    } else {
      query.push(...(await this.oauth(method, url, query)));
    }
    for (const [k, v] of query) url.searchParams.append(k, v);
    if (data !== undefined) headers.set('content-type', 'application/json;charset=utf-8');
    const answer = await fetch(url, {
      method, headers, ...(data === undefined ? {} : { body: JSON.stringify(data) }),
      ...(this.options.timeout ? { signal: AbortSignal.timeout(this.options.timeout) } : {}),
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => (out[name.toLowerCase()] = value));
    return { status: answer.status, data: await answer.text(), headers: out };
  }

  /** One-legged OAuth 1.0a over the query: the signature covers the method, the URL and every parameter. */
  private async oauth(method: string, url: URL, query: Array<[string, string]>): Promise<Array<[string, string]>> {
    const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    const oauth: Array<[string, string]> = [
      ['oauth_consumer_key', this.options.consumerKey], ['oauth_nonce', nonce], ['oauth_signature_method', 'HMAC-SHA256'],
      ['oauth_timestamp', String(Math.floor(Date.now() / 1000))], ['oauth_version', '1.0'],
    ];
    const pairs = [...query, ...oauth]
      .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
      .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const baseUrl = `${url.protocol}//${url.host}${url.pathname}`;
    const signature = await hmacSha256Base64(`${rfc3986(this.options.consumerSecret)}&`, `${method}&${rfc3986(baseUrl)}&${rfc3986(pairs)}`);
    return [...oauth, ['oauth_signature', signature]];
  }
}
