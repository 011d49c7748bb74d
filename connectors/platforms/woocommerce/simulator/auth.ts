import { oauthBaseString, oauthHeaderParams, oauthSignature, safeEqual } from './oauth1.ts';
import { WpError } from './wp.ts';

export type KeyPermissions = 'read' | 'write' | 'read_write';

export interface ApiKey {
  consumerKey: string;
  consumerSecret: string;
  permissions: KeyPermissions;
}

export interface AuthRequest {
  method: string;
  url: URL;
  header(name: string): string | undefined;
}

const NONCE_WINDOW_S = 15 * 60; // WooCommerce's oauth timestamp window
const authError = (message: string) => new WpError(401, 'woocommerce_rest_authentication_error', message);

/**
 * WooCommerce REST authentication. Over plain HTTP real WooCommerce only accepts OAuth 1.0a (what
 * @woocommerce/woocommerce-rest-api sends there); the simulator also accepts Basic auth and
 * consumer_key/consumer_secret in the query (the HTTPS methods) so fetch-based clients can use it.
 * Returns the key, null when no credentials were offered, or throws WpError 401.
 */
export class WooAuth {
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly keys: ApiKey[],
    private readonly nowSeconds: () => number,
  ) {}

  authenticate(req: AuthRequest): ApiKey | null {
    const basic = /^basic\s+(.+)$/i.exec(req.header('authorization') ?? '');
    if (basic) {
      const [user, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      return this.checkKeyAndSecret(user ?? '', rest.join(':'));
    }
    const q = req.url.searchParams;
    if (q.has('consumer_key') || q.has('consumer_secret')) {
      return this.checkKeyAndSecret(q.get('consumer_key') ?? '', q.get('consumer_secret') ?? '');
    }
    const headerParams = oauthHeaderParams(req.header('authorization'));
    if (q.has('oauth_consumer_key') || headerParams.length > 0) return this.checkOAuth(req, headerParams);
    return null;
  }

  /** A key made in WordPress (wc-auth's approval, or by hand). */
  addKey(key: ApiKey): void {
    this.keys.push(key);
  }

  /** Revokes a key: requests signed with it are refused from now on. */
  removeKey(consumerKey: string): boolean {
    const i = this.keys.findIndex((k) => k.consumerKey === consumerKey);
    if (i >= 0) this.keys.splice(i, 1);
    return i >= 0;
  }

  /** Read keys cannot write and write-only keys cannot read, as WooCommerce checks per method. */
  static assertPermission(key: ApiKey, method: string): void {
    const writing = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
    if (writing && key.permissions === 'read') throw authError('The API key provided does not have write permissions.');
    if (!writing && key.permissions === 'write') throw authError('The API key provided does not have read permissions.');
  }

  private findKey(consumerKey: string): ApiKey {
    const key = this.keys.find((k) => safeEqual(k.consumerKey, consumerKey));
    if (!key) throw authError('Consumer key is invalid.');
    return key;
  }

  private checkKeyAndSecret(consumerKey: string, consumerSecret: string): ApiKey {
    const key = this.findKey(consumerKey);
    if (!safeEqual(key.consumerSecret, consumerSecret)) throw authError('Consumer secret is invalid.');
    return key;
  }

  private checkOAuth(req: AuthRequest, headerParams: Array<[string, string]>): ApiKey {
    // PHP's $_GET keeps the last value of a repeated key; the JS library repeats every query param once
    const all = [...new Map([...req.url.searchParams.entries(), ...headerParams]).entries()];
    const get = (name: string) => all.find(([k]) => k === name)?.[1];
    const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
    const missing = required.filter((p) => !get(p));
    if (missing.length > 0) throw authError(`The following parameters are missing: ${missing.join(', ')}`);

    const key = this.findKey(get('oauth_consumer_key')!);
    const method = get('oauth_signature_method');
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') throw authError('Invalid signature - signature method is invalid.');
    const baseUrl = `${req.url.protocol}//${req.url.host}${req.url.pathname}`;
    const expected = oauthSignature(oauthBaseString(req.method, baseUrl, all), key.consumerSecret, method);
    if (!safeEqual(expected, get('oauth_signature')!)) throw authError('Invalid signature - provided signature does not match.');

    const timestamp = Number(get('oauth_timestamp'));
    const now = this.nowSeconds();
    if (!Number.isInteger(timestamp) || timestamp < now - NONCE_WINDOW_S) throw authError('Invalid timestamp.');
    for (const [n, t] of this.nonces) if (t < now - NONCE_WINDOW_S) this.nonces.delete(n);
    const nonceKey = `${key.consumerKey}:${get('oauth_nonce')}`;
    if (this.nonces.has(nonceKey)) throw authError('Invalid nonce - nonce has already been used.');
    this.nonces.set(nonceKey, timestamp);
    return key;
  }
}
