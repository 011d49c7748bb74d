import '../admin/runtime.ts';
import {
  ApiVersion, CookieNotFound, HttpResponseError, InvalidHmacError, InvalidOAuthError, LogSeverity, shopifyApi, type Shopify,
} from '@shopify/shopify-api';
import { DEFAULT_API_VERSION } from '../admin/client.ts';

// Shopify's authorization code grant for an offline token, through @shopify/shopify-api's auth.begin and
// auth.callback (web-api adapter: Fetch Requests in, Responses out; the token exchange goes through the fetch
// admin/runtime.ts installs, which a test points at the simulator). begin signs the state into a cookie;
// callback checks the cookie, the state, the hmac of the query (and its timestamp) before exchanging the code.

/** @shopify/shopify-api's state cookie (signed with the app secret; it lasts 60 seconds). */
const STATE_COOKIE = 'shopify_app_state';

export interface ShopifyAppSettings {
  /** The app's client id (SHOPIFY_API_KEY). */
  apiKey: string;
  /** Its client secret (SHOPIFY_API_SECRET): signs the state cookie, checks the callback's hmac. */
  apiSecret: string;
  scopes: readonly string[];
  /** This connector's public base URL (APP_URL): the redirect URL is <appUrl>/shopify/callback. */
  appUrl: string;
  apiVersion?: string;
}

export type OAuthOutcome =
  | { ok: true; shop: string; accessToken: string; scopes: string[]; headers: Headers }
  | { ok: false; status: 400 | 401 | 410 | 502; error: string; message: string };

export class ShopifyOAuth {
  private readonly shopify: Shopify;
  readonly callbackPath: string;

  constructor(settings: ShopifyAppSettings) {
    const url = new URL(settings.appUrl);
    this.callbackPath = `${url.pathname.replace(/\/$/, '')}/shopify/callback`;
    this.shopify = shopifyApi({
      apiKey: settings.apiKey,
      apiSecretKey: settings.apiSecret,
      scopes: [...settings.scopes],
      hostName: url.host,
      hostScheme: url.protocol === 'http:' ? 'http' : 'https',
      isEmbeddedApp: false,
      apiVersion: (settings.apiVersion ?? DEFAULT_API_VERSION) as ApiVersion,
      logger: { level: LogSeverity.Error, log: async () => {}, httpRequests: false, timestamps: false },
    });
  }

  /** The redirect to the shop's authorize page, with the state cookie; `state` is the nonce it carries. */
  async begin(request: Request, shop: string): Promise<{ response: Response; state: string | null }> {
    const response = (await this.shopify.auth.begin({ shop, callbackPath: this.callbackPath, isOnline: false, rawRequest: request })) as Response;
    const location = response.headers.get('location');
    return { response, state: location ? new URL(location).searchParams.get('state') : null };
  }

  /** Whether the callback's query is signed with the app secret (and its timestamp recent). */
  async signedQuery(query: Record<string, string>): Promise<boolean> {
    try {
      return await this.shopify.utils.validateHmac(query);
    } catch (error) {
      if (error instanceof InvalidHmacError) return false;
      throw error;
    }
  }

  /** The state cookie and hmac checked, the code exchanged for an offline token. */
  async callback(request: Request): Promise<OAuthOutcome> {
    try {
      const { session, headers } = await this.shopify.auth.callback<Headers>({ rawRequest: request });
      // The state cookie's removal only: the library's session cookie names a session orderbridge does not keep.
      const kept = new Headers();
      for (const cookie of headers.getSetCookie()) if (cookie.startsWith(STATE_COOKIE)) kept.append('set-cookie', cookie);
      return { ok: true, shop: session.shop, accessToken: session.accessToken!, scopes: (session.scope ?? '').split(',').filter(Boolean), headers: kept };
    } catch (error) {
      if (error instanceof CookieNotFound) {
        return { ok: false, status: 400, error: 'state_missing', message: 'the install state cookie is missing or expired: start the install again from /shopify/install' };
      }
      if (error instanceof InvalidOAuthError || error instanceof InvalidHmacError) {
        return { ok: false, status: 401, error: 'invalid_callback', message: 'the callback does not match the install this browser started (state or hmac)' };
      }
      if (error instanceof HttpResponseError) {
        return { ok: false, status: 502, error: 'token_exchange_failed', message: `Shopify refused the code exchange (HTTP ${error.response.code})` };
      }
      if ((error as Error).name === 'BotActivityDetected') return { ok: false, status: 410, error: 'bot_request', message: 'this looks like a bot, not a browser' };
      throw error;
    }
  }
}
