// The console through the real app in process (createApp over a SQLite file), as a browser would use it: cookies kept
// and sent back, forms posted urlencoded, the login done with the form's own token.
import { afterEach } from 'vitest';
import { createShopifyVerifier } from '../../connectors/platforms/shopify/webhookVerifier.ts';
import { STORES } from '../../connectors/registry.ts';
import { createApp } from '../../src/app/app.ts';
import { createStoreCatalog } from '../../src/core/delivery/storeCatalog.ts';
import { WebhookSecrets } from '../../src/core/shops/webhookSecrets.ts';
import { SecretBox } from '../../src/core/state/secretBox.ts';
import { createStorage } from '../../src/core/storage.ts';
import { openDatabase, type OpenDatabase } from '../../src/node/database.ts';
import { scratchDatabases } from './scratchDatabases.ts';

export const TOKEN = 'console-test-token';
const scratchDb = scratchDatabases();
const open: OpenDatabase[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});

export async function withConsole({ publicUrl = null as string | null, adminToken = TOKEN as string | null } = {}) {
  const database = openDatabase(scratchDb('ob-console-'));
  open.push(database);
  let now = Date.UTC(2026, 11, 5, 12);
  const clock = { now: () => now };
  const storage = createStorage(database, clock);
  const secrets = await SecretBox.fromPassphrase('console-test');
  const deps = {
    storage, clock, secrets, stores: createStoreCatalog(database.db, STORES),
    config: { adminToken, maxBodyBytes: 1 << 20, publicUrl },
    webhookSecrets: new WebhookSecrets(storage.shops, secrets),
    verifyShopify: createShopifyVerifier({ secret: 'unused' }),
  };
  const app = createApp(deps);
  const cookies = new Map<string, string>();
  /** A browser's worth: cookies kept and sent back, forms posted urlencoded. */
  const request = async (path: string, init: { method?: string; form?: Record<string, string>; cookie?: string } = {}) => {
    const headers: Record<string, string> = { cookie: init.cookie ?? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await app.request(path, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}) });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/Max-Age=0/i.test(line)) cookies.delete(name!);
      else cookies.set(name!, value.join('='));
    }
    return { status: res.status, location: res.headers.get('location'), setCookies: res.headers.getSetCookie(), headers: res.headers, text: await res.text() };
  };
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  const login = async (token = TOKEN) => {
    const page = await request('/admin/login');
    return request('/admin/login', { form: { _csrf: hidden(page.text, '_csrf')!, token, next: '/admin' } });
  };
  return { app, storage, database, cookies, request, login, hidden, deps, advance: (ms: number) => (now += ms), clock };
}

