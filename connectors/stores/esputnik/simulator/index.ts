// A faithful eSputnik (v1/orders + v1/event) for tests, benchmarks and `orderbridge simulate esputnik`.
import { Hono, type Context } from 'hono';
import { Faults, RateWindow, serveOnLoopback, type RunningServer } from '../../../simulator-kit/index.ts';
import { postEvent } from './events.ts';
import { addOrders, deleteOrder, type SimAnswer } from './orders.ts';
import { EsputnikSimState } from './state.ts';

export interface EsputnikSimulatorOptions {
  /** API keys accepted as the Basic-auth password (any user name). Default ['esputnik-test-key']. */
  apiKeys?: string[];
  /** Contacts that exist before any order (e-mail, phone or external customer id). */
  contacts?: string[];
  /** Documented per-key limits: events 350 req/s, orders and all other methods 200 req/s. */
  rateLimits?: { events?: number; general?: number };
  /** "You can send v1/event only for the existing contact"; default true. */
  requireKnownContact?: boolean;
  /** Clock for the rate windows (tests freeze it). */
  now?: () => number;
  /** Fault-injection seed. */
  seed?: number;
}

export const DEFAULT_SIM_API_KEY = 'esputnik-test-key';

export interface EsputnikSimulator {
  app: Hono;
  faults: Faults;
  state: EsputnikSimState;
  /** Shortcuts into state, so tests read `sim.orders.get(id)` and `sim.events`. */
  orders: EsputnikSimState['orders'];
  events: EsputnikSimState['events'];
  eventOrders: EsputnikSimState['eventOrders'];
  apiKeys: Set<string>;
}

export function createEsputnikSimulator(opts: EsputnikSimulatorOptions = {}): EsputnikSimulator {
  const state = new EsputnikSimState();
  for (const c of opts.contacts ?? []) state.addContact(c);
  const apiKeys = new Set(opts.apiKeys ?? [DEFAULT_SIM_API_KEY]);
  const faults = new Faults(opts.seed ?? 1);
  const limits = { events: opts.rateLimits?.events ?? 350, general: opts.rateLimits?.general ?? 200 };
  const windows = new Map<string, { events: RateWindow; general: RateWindow }>();
  const now = opts.now ?? Date.now;
  const rules = { requireKnownContact: opts.requireKnownContact ?? true };

  const app = new Hono();
  app.use('*', faults.middleware());

  // Control routes for the CLI and for tests over HTTP; never faulted, never authenticated.
  app.get('/_sim/state', (c) => c.json({
    orders: [...state.orders.values()],
    deletedOrders: state.deletedOrders,
    events: state.events,
    eventOrders: [...state.eventOrders.values()],
    carts: [...state.carts.values()],
    contacts: state.contacts(),
  }));
  app.post('/_sim/contacts', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { contacts?: unknown } | null;
    const list = Array.isArray(body?.contacts) ? body.contacts.filter((x): x is string => typeof x === 'string') : [];
    for (const contact of list) state.addContact(contact);
    return c.json({ added: list.length });
  });
  app.post('/_sim/reset', (c) => {
    state.reset();
    return c.json({ ok: true });
  });

  // eSputnik: HTTP Basic, any user name, the API key as password; then the per-key rate limits.
  app.use('/api/*', async (c, next) => {
    const key = basicPassword(c.req.header('Authorization'));
    if (key === null || !apiKeys.has(key)) {
      c.header('WWW-Authenticate', 'Basic realm="eSputnik"');
      return c.json({ message: 'Unauthorized' }, 401);
    }
    let w = windows.get(key);
    if (!w) windows.set(key, (w = { events: new RateWindow(limits.events, now), general: new RateWindow(limits.general, now) }));
    const isEvent = c.req.path === '/api/v1/event';
    if (!(isEvent ? w.events : w.general).admit()) {
      c.header('Retry-After', '1');
      return c.json({ message: `Too many requests: limit is ${isEvent ? limits.events : limits.general} per second` }, 429);
    }
    state.count(`${c.req.method} ${c.req.path.replace(/^\/api/, '')}`);
    return next();
  });

  app.post('/api/v1/orders', async (c) => withJson(c, (body) => addOrders(state, body)));
  app.delete('/api/v1/orders', (c) => answer(c, deleteOrder(state, c.req.query('externalOrderId'))));
  app.post('/api/v1/event', async (c) => withJson(c, (body) => postEvent(state, body, rules)));

  return { app, faults, state, orders: state.orders, events: state.events, eventOrders: state.eventOrders, apiKeys };
}

export interface RunningEsputnikSimulator extends EsputnikSimulator, RunningServer {
  /** What a destination's `baseUrl` setting should be: `${url}/api`. */
  baseUrl: string;
}

export async function startEsputnikSimulator(opts: EsputnikSimulatorOptions & { port?: number } = {}): Promise<RunningEsputnikSimulator> {
  const sim = createEsputnikSimulator(opts);
  const server = await serveOnLoopback(sim.app, opts.port ?? 0);
  return { ...sim, ...server, baseUrl: `${server.url}/api` };
}

async function withJson(c: Context, handle: (body: unknown) => SimAnswer): Promise<Response> {
  if (!(c.req.header('Content-Type') ?? '').toLowerCase().startsWith('application/json')) {
    return c.json({ message: 'Content-Type must be application/json' }, 415);
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return c.json({ message: 'Malformed JSON' }, 400);
  }
  return answer(c, handle(body));
}

function answer(c: Context, a: SimAnswer): Response {
  return a.body === null ? c.body(null, a.status) : c.json(a.body, a.status);
}

function basicPassword(header: string | undefined): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(m[1]!), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}
