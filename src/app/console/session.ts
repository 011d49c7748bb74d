// The console's session: a signed cookie (HMAC keyed by ADMIN_TOKEN, so a new token ends every session) holding its
// expiry and a random id, live while that id is in the database (a logout deletes it), and a CSRF token derived from
// that id that every form carries.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import type { ConsoleSessions } from '../../core/shops/consoleSessions.ts';
import { timingSafeEqualText } from '../../core/state/secretBox.ts';

export const SESSION_COOKIE = 'ob_session';
/** Before login there is no session: the login form is tied to this cookie instead (double submit). */
export const LOGIN_COOKIE = 'ob_login';
export const CSRF_FIELD = '_csrf';
export const SESSION_HOURS = 12;

export interface ConsoleSession {
  id: string;
  expiresAt: number;
  csrf: string;
}

export type ConsoleEnv = { Variables: { session: ConsoleSession } };

export interface SessionOptions {
  adminToken: string;
  /** Cookies are Secure when the public URL is https (a plain-http loopback test would never send them back). */
  secure: boolean;
  now: () => number;
  /** Which session ids are live: a logout ends its session here, whatever copy of the cookie is still about. */
  sessions: ConsoleSessions;
}

const bytes = (text: string) => new TextEncoder().encode(text);

function base64url(data: ArrayBuffer | Uint8Array): string {
  let text = '';
  for (const b of new Uint8Array(data)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(24)));
}

/** The key sessions are signed with: the admin token, labelled so the cookie's MAC is no use anywhere else. */
const signingSecret = (adminToken: string) => `orderbridge console session\n${adminToken}`;

async function csrfFor(adminToken: string, sessionId: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', bytes(signingSecret(adminToken)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64url(await crypto.subtle.sign('HMAC', key, bytes(`csrf:${sessionId}`)));
}

const cookieOptions = (o: SessionOptions) => ({ httpOnly: true, sameSite: 'Lax' as const, secure: o.secure, path: '/admin' });

/** Starts a session after a good login: the cookie expires with it. */
export async function startSession(c: Context, o: SessionOptions): Promise<void> {
  const expiresAt = o.now() + SESSION_HOURS * 3_600_000;
  const id = randomToken();
  o.sessions.open(id, expiresAt);
  await setSignedCookie(c, SESSION_COOKIE, `${expiresAt}.${id}`, signingSecret(o.adminToken), {
    ...cookieOptions(o), expires: new Date(expiresAt), maxAge: SESSION_HOURS * 3600,
  });
  deleteCookie(c, LOGIN_COOKIE, { path: '/admin' });
}

/** Ends the session server-side (its cookie opens nothing after) and clears the cookie. */
export function endSession(c: Context, o: SessionOptions, session: ConsoleSession): void {
  o.sessions.end(session.id);
  deleteCookie(c, SESSION_COOKIE, { path: '/admin' });
}

/** The request's session when its cookie is signed with the current token, not expired and not ended by a logout. */
export async function readSession(c: Context, o: SessionOptions): Promise<ConsoleSession | null> {
  const value = await getSignedCookie(c, signingSecret(o.adminToken), SESSION_COOKIE);
  if (!value) return null;
  const [expires, id] = value.split('.');
  const expiresAt = Number(expires);
  if (!id || !Number.isSafeInteger(expiresAt) || expiresAt <= o.now() || !o.sessions.live(id)) return null;
  return { id, expiresAt, csrf: await csrfFor(o.adminToken, id) };
}

/** The login form's token: a random value in a short-lived cookie, which the form must echo. */
export function loginToken(c: Context, o: SessionOptions): string {
  const held = getCookie(c, LOGIN_COOKIE);
  if (held && /^[\w-]{20,64}$/.test(held)) return held;
  const token = randomToken();
  setCookie(c, LOGIN_COOKIE, token, { ...cookieOptions(o), maxAge: 3600 });
  return token;
}

export function loginTokenMatches(c: Context, given: unknown): boolean {
  const held = getCookie(c, LOGIN_COOKIE);
  return typeof given === 'string' && !!held && timingSafeEqualText(given, held);
}

/**
 * Every console page needs a session (else: to the login page), and every form post its session's CSRF token
 * (else 403, nothing done). Forms are read here once; handlers read `c.req.parseBody()` again from Hono's cache.
 */
export function requireSession(o: SessionOptions): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = await readSession(c, o);
    if (!session) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const back = c.req.path + (new URL(c.req.url).search || '');
        return c.redirect(`/admin/login?next=${encodeURIComponent(back)}`, 303);
      }
      return c.text('Your session has ended: log in again.', 401);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
      const given = form[CSRF_FIELD];
      if (typeof given !== 'string' || !timingSafeEqualText(given, session.csrf)) {
        return c.text('This form has no valid CSRF token (reload the page and send it again); nothing was changed.', 403);
      }
    }
    c.set('session', session);
    await next();
  };
}
