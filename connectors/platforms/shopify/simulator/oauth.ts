import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';

// Shopify's authorization code grant as a shop runs it for an app: the authorize page (here it approves at once,
// as the owner pressing Install would) redirects to the app with code, shop, state, timestamp and an hmac signed
// with the app's client secret; POST /admin/oauth/access_token swaps the code (once, within a minute) for an
// offline access token carrying the scopes granted.

export interface SimOAuthDeps {
  shopDomain: string;
  /** The app's client id (its API key). */
  apiKey: () => string;
  apiSecret: () => string;
  /** Makes an access token with these scopes usable on the Admin API. */
  issueToken(scopes: string[]): string;
}

interface PendingCode { scopes: string[]; redirectUri: string; expiresMs: number }

const CODE_LIFETIME_MS = 60_000;

/** Shopify's OAuth query signature: hex HMAC-SHA256 of the other parameters, sorted and form-encoded. */
export function signOAuthQuery(params: Record<string, string>, secret: string): string {
  const sorted = new URLSearchParams(Object.keys(params).filter((k) => k !== 'hmac' && k !== 'signature').sort().map((k) => [k, params[k]!]));
  return createHmac('sha256', secret).update(sorted.toString()).digest('hex');
}

export function simOAuthRoutes(deps: SimOAuthDeps) {
  const codes = new Map<string, PendingCode>();
  const grants: Array<{ token: string; scopes: string[] }> = [];
  const r = new Hono();
  const refuse = (status: number, error: string, description: string) =>
    new Response(JSON.stringify({ error, error_description: description }), { status, headers: { 'content-type': 'application/json' } });

  r.get('/authorize', (c) => {
    const q = c.req.query();
    if (q.client_id !== deps.apiKey()) return c.text('Oauth error invalid_request: The client_id is not recognised', 400);
    if (!q.redirect_uri) return c.text('Oauth error invalid_request: The redirect_uri is missing', 400);
    const scopes = (q.scope ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const code = randomBytes(16).toString('hex');
    codes.set(code, { scopes, redirectUri: q.redirect_uri, expiresMs: Date.now() + CODE_LIFETIME_MS });
    // The timestamp is real time: the app checks it against its own clock.
    const params: Record<string, string> = {
      code, host: Buffer.from(`admin.shopify.com/store/${deps.shopDomain.split('.')[0]}`).toString('base64url'),
      shop: deps.shopDomain, state: q.state ?? '', timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const back = new URL(q.redirect_uri);
    for (const [k, v] of Object.entries(params)) back.searchParams.set(k, v);
    back.searchParams.set('hmac', signOAuthQuery(params, deps.apiSecret()));
    return c.redirect(back.toString(), 302);
  });

  r.post('/access_token', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const body = type.includes('json') ? ((await c.req.json().catch(() => ({}))) as Record<string, string>) : ((await c.req.parseBody()) as Record<string, string>);
    if (body.client_id !== deps.apiKey() || !equalText(body.client_secret ?? '', deps.apiSecret())) {
      return refuse(400, 'invalid_client', 'Client credentials are invalid');
    }
    const pending = codes.get(body.code ?? '');
    codes.delete(body.code ?? '');
    if (!pending || pending.expiresMs < Date.now()) return refuse(400, 'invalid_request', 'The authorization code was not found or was already used');
    const token = deps.issueToken(pending.scopes);
    grants.push({ token, scopes: pending.scopes });
    return c.json({ access_token: token, scope: pending.scopes.join(',') });
  });

  return { routes: r, grants: grants as ReadonlyArray<{ token: string; scopes: string[] }> };
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
