import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { KeyPermissions, WooAuth } from './auth.ts';

// WooCommerce's app authentication endpoint (/wc-auth/v1/authorize), as its approval runs once the owner is logged
// in and presses Approve: a new REST key for the app, POSTed as JSON to callback_url (which must answer 200, or the
// key is deleted and the owner sees an error), then the owner is redirected to return_url?success=1&user_id=….

export interface WcAuthGrant {
  appName: string;
  userId: string;
  keyId: number;
  consumerKey: string;
  permissions: KeyPermissions;
  /** What callback_url answered (null: it could not be reached). */
  callbackStatus: number | null;
}

const SCOPES: Record<string, KeyPermissions> = { read: 'read', write: 'write', read_write: 'read_write' };

export function wcAuthRoutes(auth: WooAuth, opts: { callbackTimeoutMs?: number } = {}) {
  const grants: WcAuthGrant[] = [];
  let nextKeyId = 1;
  const r = new Hono();
  // WordPress's wp_die page: a status and a sentence.
  const die = (status: number, message: string) => new Response(`<p>Error: ${message}</p>`, { status, headers: { 'content-type': 'text/html; charset=UTF-8' } });

  r.get('/v1/authorize', async (c) => {
    const q = c.req.query();
    for (const name of ['app_name', 'scope', 'user_id', 'return_url', 'callback_url']) {
      if (!q[name]) return die(400, `Missing parameter ${name}`);
    }
    const permissions = SCOPES[q.scope!];
    if (!permissions) return die(400, 'Invalid scope');
    let callback: URL;
    try {
      callback = new URL(q.callback_url!);
      new URL(q.return_url!);
    } catch {
      return die(400, 'The callback_url and return_url need to be valid URLs');
    }
    // WooCommerce requires SSL for the callback; plain http is allowed here for loopback receivers in tests.
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(callback.hostname);
    if (callback.protocol !== 'https:' && !(callback.protocol === 'http:' && loopback)) return die(400, 'The callback_url needs to be over SSL');

    const key = { consumerKey: `ck_${randomBytes(20).toString('hex')}`, consumerSecret: `cs_${randomBytes(20).toString('hex')}`, permissions };
    const grant: WcAuthGrant = { appName: q.app_name!, userId: q.user_id!, keyId: nextKeyId++, consumerKey: key.consumerKey, permissions, callbackStatus: null };
    grants.push(grant);
    auth.addKey(key);
    try {
      const res = await fetch(callback, {
        method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(opts.callbackTimeoutMs ?? 60_000),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key_id: grant.keyId, user_id: grant.userId, consumer_key: key.consumerKey, consumer_secret: key.consumerSecret, key_permissions: permissions }),
      });
      grant.callbackStatus = res.status;
      await res.arrayBuffer();
    } catch {
      grant.callbackStatus = null;
    }
    if (grant.callbackStatus !== 200) {
      auth.removeKey(key.consumerKey);
      return die(401, 'An error occurred in the request and at the time were unable to send the consumer data');
    }
    const back = new URL(q.return_url!);
    back.searchParams.set('success', '1');
    back.searchParams.set('user_id', grant.userId);
    return c.redirect(back.toString(), 302);
  });

  return { routes: r, grants: grants as readonly WcAuthGrant[] };
}
