// The admin console at /admin: server-rendered pages over the same core the /api routes use. Every page but the
// login needs a session; every form post its CSRF token (src/app/console/session.ts).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from '../appDeps.ts';
import { connectPages } from './connectPages.tsx';
import { consoleContext } from './consoleContext.ts';
import { consoleScriptRoute } from './consoleScript.ts';
import { deadLettersPage } from './deadLettersPage.tsx';
import { jobsRoutes } from './jobsPanel.tsx';
import { loginRoutes, logoutRoute } from './loginPage.tsx';
import { quarantinePage } from './quarantinePage.tsx';
import { requireSession, type ConsoleEnv, type SessionOptions } from './session.ts';
import { shopPage } from './shopPage.tsx';
import { shopsPage } from './shopsPage.tsx';
import { storePages } from './storePages.tsx';

/** Forms are small; a runaway body must not be read whole into memory. */
const FORM_BYTES = 64 * 1024;

export function consoleRoutes(deps: AppDeps): Hono<ConsoleEnv> {
  const r = new Hono<ConsoleEnv>();
  const { adminToken, publicUrl } = deps.config;
  const options: SessionOptions | null = adminToken
    ? { adminToken, secure: publicUrl?.startsWith('https:') ?? false, now: () => deps.clock.now(), sessions: deps.storage.consoleSessions }
    : null;
  r.use('*', bodyLimit({ maxSize: FORM_BYTES, onError: (c) => c.text(`console forms are limited to ${FORM_BYTES} bytes`, 413) }));
  // Pages show shop data: never cached, never framed by another site, and no script runs but /admin/console.js. No
  // form-action: browsers apply it to a form's redirects too, and the install forms redirect to the shop's own site.
  // No HSTS either: TLS is the proxy's, and the header would bind every subdomain of the host.
  r.use('*', secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
    },
    strictTransportSecurity: false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
  }));
  r.use('*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });
  consoleScriptRoute(r);
  loginRoutes(r, options);
  // Without ADMIN_TOKEN there is no session to have: every page shows the login page's explanation.
  if (!options) {
    r.use('*', async (c) => c.redirect('/admin/login', 303));
    return r;
  }
  r.use('*', requireSession(options));
  logoutRoute(r, options);
  const ctx = consoleContext(deps);
  shopsPage(r, ctx);
  connectPages(r, ctx);
  shopPage(r, ctx);
  storePages(r, ctx);
  deadLettersPage(r, ctx);
  quarantinePage(r, ctx);
  jobsRoutes(r, ctx);
  return r;
}
