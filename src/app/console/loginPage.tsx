// GET/POST /admin/login and POST /admin/logout: the admin token for a session cookie, and back.
import type { Hono } from 'hono';
import { timingSafeEqualText } from '../../core/state/secretBox.ts';
import { Page } from './layout.tsx';
import { CSRF_FIELD, endSession, loginToken, loginTokenMatches, startSession, type ConsoleEnv, type SessionOptions } from './session.ts';

/** Where a login may send the browser on: a console page, never another site. */
const safeNext = (next: unknown): string => (typeof next === 'string' && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/admin');

function LoginForm({ token, next, error }: { token: string; next: string; error?: string }) {
  return (
    <Page title="Log in" flash={error ? { text: error, error: true } : null}>
      <section>
        <form method="post" action="/admin/login">
          <input type="hidden" name={CSRF_FIELD} value={token} />
          <input type="hidden" name="next" value={next} />
          <label for="token">Admin token <span class="hint">(ADMIN_TOKEN of this orderbridge)</span></label>
          <input id="token" name="token" type="password" autocomplete="current-password" required />
          <p><button type="submit">Log in</button></p>
        </form>
      </section>
    </Page>
  );
}

export function loginRoutes(r: Hono<ConsoleEnv>, options: SessionOptions | null): void {
  r.get('/login', (c) => {
    if (!options) return c.html(<Page title="Console disabled"><p>Start orderbridge with ADMIN_TOKEN=&lt;a long random string&gt; to use the console.</p></Page>, 503);
    return c.html(<LoginForm token={loginToken(c, options)} next={safeNext(c.req.query('next'))} />);
  });
  r.post('/login', async (c) => {
    if (!options) return c.text('the console is disabled: ADMIN_TOKEN is not set', 503);
    const form = await c.req.parseBody();
    if (!loginTokenMatches(c, form[CSRF_FIELD])) {
      return c.html(<LoginForm token={loginToken(c, options)} next={safeNext(form.next)} error="The login form had expired; try again." />, 403);
    }
    const given = typeof form.token === 'string' ? form.token : '';
    if (!given || !timingSafeEqualText(given, options.adminToken)) {
      return c.html(<LoginForm token={loginToken(c, options)} next={safeNext(form.next)} error="That is not the admin token." />, 401);
    }
    await startSession(c, options);
    return c.redirect(safeNext(form.next), 303);
  });
}

/** Logout is a form post like any other (behind the session check and its CSRF token); it ends the session server-side. */
export function logoutRoute(r: Hono<ConsoleEnv>, options: SessionOptions): void {
  r.post('/logout', (c) => {
    endSession(c, options, c.get('session'));
    return c.redirect('/admin/login', 303);
  });
}
