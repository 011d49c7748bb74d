// The page around every console page: navigation, the logout form, and one small stylesheet that reads on a phone.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { CSRF_FIELD } from './session.ts';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#1d2329;background:#f6f7f9}
header{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center;padding:.6rem 1rem;background:#1d2a3a;color:#fff}
header a{color:#fff;text-decoration:none}header nav{display:flex;flex-wrap:wrap;gap:.8rem;flex:1}header form{margin:0}
main{max-width:1100px;margin:0 auto;padding:1rem}h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
section,.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eceff2;vertical-align:top}
th{font-weight:600;font-size:.85rem;color:#56616d}td.num,th.num{text-align:right}
button,.button{display:inline-block;font:inherit;padding:.35rem .8rem;border:1px solid #2d6cdf;border-radius:4px;background:#2d6cdf;color:#fff;text-decoration:none;cursor:pointer}
button.quiet,.button.quiet{background:#fff;color:#2d6cdf}button.danger{background:#fff;color:#b3261e;border-color:#b3261e}
form.inline{display:inline}label{display:block;margin:.5rem 0 .15rem;font-weight:600;font-size:.9rem}
input[type=text],input[type=url],input[type=number],input[type=password],select,textarea{width:100%;max-width:32rem;font:inherit;padding:.35rem;border:1px solid #b9c0c8;border-radius:4px}
textarea{font-family:ui-monospace,monospace;font-size:.85rem}fieldset{border:1px solid #dde1e6;border-radius:4px;margin:.6rem 0}
.hint{color:#56616d;font-size:.85rem;font-weight:400}.flash{padding:.6rem 1rem;border-radius:4px;margin-bottom:1rem;background:#e7f3e8;border:1px solid #a5d6a7}
.flash.error{background:#fdecea;border-color:#f5b7b1}.state{padding:.05rem .45rem;border-radius:9px;font-size:.8rem;white-space:nowrap}
.state.installed{background:#e7f3e8}.state.uninstalled{background:#eceff2}.state.failing,.state.paused{background:#fdecea}
pre{white-space:pre-wrap;word-break:break-all;font-size:.8rem;background:#f6f7f9;padding:.5rem;max-height:18rem;overflow:auto}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0}.error-text{color:#b3261e}svg{max-width:100%;height:auto}
progress{width:100%;max-width:24rem;height:1rem}
`;

export interface PageProps {
  title: string;
  /** The session's CSRF token, for the logout form; absent on the login page. */
  csrf?: string;
  flash?: { text: string; error?: boolean } | null;
  /** Without scripts, reload every so many seconds (a page following a running job), at this address (without the message shown once). */
  refresh?: { seconds: number; url: string };
  children?: Child;
}

export function Page({ title, csrf, flash, refresh, children }: PageProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {/* With scripts on, the page's own script moves what changes; without, the page reloads itself. */}
          {refresh && <noscript><meta http-equiv="refresh" content={`${refresh.seconds};url=${refresh.url}`} /></noscript>}
          <title>{title} · orderbridge</title>
          <style>{raw(STYLE)}</style>
          <script src="/admin/console.js" defer></script>
        </head>
        <body>
          <header>
            <strong>orderbridge</strong>
            {csrf && (
              <>
                <nav>
                  <a href="/admin">Shops</a>
                  <a href="/admin/dead-letters">Dead letters</a>
                  <a href="/admin/quarantine">Quarantine</a>
                </nav>
                <form method="post" action="/admin/logout">
                  <CsrfField token={csrf} />
                  <button class="quiet" type="submit">Log out</button>
                </form>
              </>
            )}
          </header>
          <main>
            <h1>{title}</h1>
            {flash && <div class={flash.error ? 'flash error' : 'flash'} role="status">{flash.text}</div>}
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** A form of one button (replay, pause, remove …), CSRF token included. */
export function ActionButton(props: { action: string; csrf: string; label: string; kind?: 'quiet' | 'danger'; fields?: Record<string, string>; confirm?: string }) {
  return (
    <form class="inline" method="post" action={props.action} {...(props.confirm ? { 'data-confirm': props.confirm } : {})}>
      <CsrfField token={props.csrf} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
      <button type="submit" class={props.kind ?? ''}>{props.label}</button>
    </form>
  );
}

export const when = (ms: number | null | undefined): string => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—');

/** A message carried across a redirect in the query string (`?ok=` / `?error=`), shown once. */
export function flashOf(query: (name: string) => string | undefined): PageProps['flash'] {
  const error = query('error');
  if (error) return { text: error.slice(0, 500), error: true };
  const ok = query('ok');
  return ok ? { text: ok.slice(0, 500) } : null;
}
