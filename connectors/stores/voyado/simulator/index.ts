// A faithful Voyado Engage orders v3 API on loopback: apikey + User-Agent, 202 + jobs, actions with versionTag, 429 above 200 req/s.
import { Hono, type Context } from 'hono';
import { Faults, RateWindow, serveOnLoopback } from '../../../simulator-kit/index.ts';
import { validateActionBody, validateChangeDelivery, validateChangeStatus, validateOrderBody, type ValidationErrors } from './validation.ts';
import { VoyadoStorage, type Job, type JobKind } from './state.ts';

export const VOYADO_SIM_DEFAULT_API_KEY = 'voyado-sim-api-key';
/** Requests per second per API key above which Voyado answers 429 (FACTS.md). */
export const VOYADO_SIM_RATE_LIMIT = 200;

export interface VoyadoSimulatorOptions {
  /** The one API key accepted in the `apikey` header. */
  apiKey?: string;
  /** Fault-injection seed (deterministic). */
  seed?: number;
  now?: () => number;
  /** Polls a job answers as in flight before it is processed (default 1). */
  pendingPolls?: number;
  /** Jobs nobody polls are processed after this delay (like Engage's background); null = only when polled. Default 100. */
  processAfterMs?: number | null;
  /** A finished job answers 302 to the order (FACTS.md) or 200 `{status: "Completed"}` (seed). Default redirect. */
  completedAs?: 'redirect' | 'status';
  rateLimitPerSecond?: number;
}

export interface VoyadoSimulatorStats {
  requests: number;
  unauthorized: number;
  badRequests: number;
  throttled: number;
  /** "METHOD /path" of each answered API request, last 1000 (tests read the call sequence). */
  calls: string[];
}

export interface VoyadoSimulator {
  app: Hono;
  faults: Faults;
  apiKey: string;
  storage: VoyadoStorage;
  /** Stored orders by orderId (as written, changes applied). */
  orders: { get(orderId: string): Record<string, unknown> | undefined; readonly size: number };
  stats: VoyadoSimulatorStats;
  /** After the next GET of this order is served, another writer bumps its versionTag. */
  staleAfterNextRead(orderId: string): void;
  reset(): void;
}

const PROBLEM = 'application/problem+json';

export function createVoyadoSimulator(opts: VoyadoSimulatorOptions = {}): VoyadoSimulator {
  const apiKey = opts.apiKey ?? VOYADO_SIM_DEFAULT_API_KEY;
  const pendingPolls = opts.pendingPolls ?? 1;
  const processAfterMs = opts.processAfterMs === undefined ? 100 : opts.processAfterMs;
  const completedAs = opts.completedAs ?? 'redirect';
  const faults = new Faults(opts.seed);
  const storage = new VoyadoStorage();
  const rate = new Map<string, RateWindow>();
  const staleReads = new Set<string>();
  const stats: VoyadoSimulatorStats = { requests: 0, unauthorized: 0, badRequests: 0, throttled: 0, calls: [] };

  const app = new Hono();
  app.use('/api/*', faults.middleware());
  app.use('/api/*', async (c, next) => {
    stats.requests++;
    const key = c.req.header('apikey');
    if (key !== apiKey) {
      stats.unauthorized++;
      return problem(c, 401, 'Unauthorized', key ? 'The API key is not valid.' : 'The apikey header is missing.');
    }
    let window = rate.get(key);
    if (!window) rate.set(key, (window = new RateWindow(opts.rateLimitPerSecond ?? VOYADO_SIM_RATE_LIMIT, opts.now)));
    if (!window.admit()) {
      stats.throttled++;
      c.header('Retry-After', '1');
      return problem(c, 429, 'Too Many Requests', 'Rate limit exceeded for this API key.');
    }
    if (!c.req.header('user-agent')) return problem(c, 400, 'Bad Request', 'A User-Agent header is mandatory.');
    if (stats.calls.push(`${c.req.method} ${c.req.path.replace(/^\/api\/v3/, '')}`) > 1000) stats.calls.shift();
    return next();
  });

  const accepted = (c: Context, job: Job) => {
    const href = `${new URL(c.req.url).origin}/api/v3/orders/jobs/${job.jobId}`;
    if (processAfterMs !== null) setTimeout(() => storage.processThrough(job), processAfterMs).unref?.();
    c.header('Location', href);
    return c.json({ jobId: job.jobId, status: 'Accepted', orderId: job.orderId, href }, 202);
  };
  const invalid = (c: Context, errors: ValidationErrors) => {
    stats.badRequests++;
    return c.json({ type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'One or more validation errors occurred.', status: 400, errors }, 400, { 'Content-Type': PROBLEM });
  };
  const notFound = (c: Context, orderId: string) => problem(c, 404, 'Not Found', `Order ${orderId} was not found.`);

  app.post('/api/v3/orders', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const errors = validateOrderBody(body);
    if (Object.keys(errors).length > 0) return invalid(c, errors);
    const orderId = (body as { orderId: string }).orderId;
    if (storage.orders.has(orderId)) return problem(c, 409, 'Order already exists', `Order ${orderId} already exists.`);
    return accepted(c, storage.enqueue('create', orderId, body as Record<string, unknown>));
  });

  app.get('/api/v3/orders/jobs/:jobId', (c) => {
    const job = storage.jobs.get(c.req.param('jobId'));
    if (!job) return problem(c, 404, 'Not Found', `Job ${c.req.param('jobId')} was not found.`);
    const origin = new URL(c.req.url).origin;
    const self = { jobId: job.jobId, orderId: job.orderId, href: `${origin}/api/v3/orders/jobs/${job.jobId}` };
    if (job.status === 'Pending' || job.status === 'Processing') {
      job.polls++;
      if (job.polls <= pendingPolls) {
        job.status = job.polls === 1 ? 'Pending' : 'Processing';
        return c.json({ ...self, status: job.status });
      }
      storage.processThrough(job);
    }
    if (job.status === 'Failed') {
      const title = job.failureHttp === 409 ? 'Order already exists' : 'The request could not be processed';
      return c.json({ type: 'about:blank', title, status: job.failureHttp ?? 400, detail: job.errors[0]?.message, ...self, errors: job.errors }, (job.failureHttp ?? 400) as 400, { 'Content-Type': PROBLEM });
    }
    if (job.status === 'CompletedWithErrors') return c.json({ ...self, status: job.status, errors: job.errors });
    const orderUrl = `${origin}/api/v3/orders/${encodeURIComponent(job.orderId)}`;
    if (completedAs === 'redirect' && job.kind !== 'delete') return c.redirect(orderUrl, 302);
    return c.json({ ...self, status: job.status, orderHref: job.kind === 'delete' ? undefined : orderUrl });
  });

  app.get('/api/v3/orders/:orderId', (c) => {
    const orderId = c.req.param('orderId');
    const stored = storage.orders.get(orderId);
    if (!stored) return notFound(c, orderId);
    const answer = c.json({ ...stored.order, versionTag: stored.versionTag });
    if (staleReads.delete(orderId)) storage.touch(orderId);
    return answer;
  });

  app.put('/api/v3/orders/:orderId', async (c) => {
    const orderId = c.req.param('orderId');
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const errors = validateOrderBody(body, orderId);
    if (Object.keys(errors).length > 0) return invalid(c, errors);
    if (!storage.orders.has(orderId)) return notFound(c, orderId);
    return accepted(c, storage.enqueue('replace', orderId, { ...(body as Record<string, unknown>), orderId }));
  });

  app.delete('/api/v3/orders/:orderId', (c) => {
    const orderId = c.req.param('orderId');
    if (!storage.orders.has(orderId)) return notFound(c, orderId);
    return accepted(c, storage.enqueue('delete', orderId, {}));
  });

  const change = (kind: JobKind, validate: (b: unknown) => ValidationErrors) => async (c: Context) => {
    const orderId = c.req.param('orderId')!;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const errors = validate(body);
    if (Object.keys(errors).length > 0) return invalid(c, errors);
    if (!storage.orders.has(orderId)) return notFound(c, orderId);
    return accepted(c, storage.enqueue(kind, orderId, body as Record<string, unknown>));
  };
  app.post('/api/v3/orders/:orderId/change-status', change('change-status', validateChangeStatus));
  app.post('/api/v3/orders/:orderId/change-delivery', change('change-delivery', validateChangeDelivery));

  app.post('/api/v3/orders/:orderId/action', async (c) => {
    const orderId = c.req.param('orderId');
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const errors = validateActionBody(body);
    if (Object.keys(errors).length > 0) return invalid(c, errors);
    const a = body as { action: string; versionTag: string; language?: string; data?: unknown };
    const stored = storage.orders.get(orderId);
    if (!stored || stored.versionTag !== a.versionTag) return problem(c, 404, 'Not Found', 'Order not found or VersionTag did not match the order.');
    if (!stored.hasContact) return problem(c, 422, 'Unprocessable Entity', 'Order has no contact.');
    storage.actions.push({ orderId, action: a.action, language: a.language, data: a.data, via: 'endpoint' });
    return c.json({ status: 'Accepted', orderId }, 202);
  });

  // Read-back for tests and `orderbridge simulate voyado` users; never faulted, never authenticated.
  app.get('/_sim/orders/:orderId', (c) => {
    const stored = storage.orders.get(c.req.param('orderId'));
    return stored ? c.json({ ...stored.order, versionTag: stored.versionTag, hasContact: stored.hasContact }) : c.json({ error: 'not found' }, 404);
  });
  app.get('/_sim/actions', (c) => c.json(storage.actions));
  app.get('/_sim/stats', (c) => c.json({ ...stats, calls: undefined, stored: storage.orders.size, jobs: storage.jobs.size, injected: faults.injected }));
  app.post('/_sim/contacts/missing', async (c) => {
    const { matchKey } = (await c.req.json().catch(() => ({}))) as { matchKey?: string };
    if (!matchKey) return c.json({ error: 'matchKey required' }, 400);
    storage.missingContacts.add(matchKey);
    return c.body(null, 204);
  });
  // "Create the contact in Engage": the key matches a contact again (to rehearse a dead letter's replay).
  app.delete('/_sim/contacts/missing/:matchKey', (c) => {
    storage.missingContacts.delete(c.req.param('matchKey'));
    return c.body(null, 204);
  });
  app.delete('/_sim/orders', (c) => {
    reset();
    return c.body(null, 204);
  });

  function reset(): void {
    storage.clear();
    staleReads.clear();
    rate.clear();
    Object.assign(stats, { requests: 0, unauthorized: 0, badRequests: 0, throttled: 0, calls: [] });
  }

  const orders = {
    get: (orderId: string) => storage.get(orderId),
    get size() { return storage.orders.size; },
  };
  return { app, faults, apiKey, storage, orders, stats, staleAfterNextRead: (id) => staleReads.add(id), reset };
}

/** The JSON body, or the answer Voyado gives when there is none (415 wrong type, 400 malformed). */
async function jsonBody(c: Context): Promise<unknown | Response> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().includes('application/json')) {
    return problem(c, 415, 'Unsupported Media Type', 'Content-Type must be application/json.');
  }
  try {
    return JSON.parse(await c.req.text());
  } catch {
    return problem(c, 400, 'Bad Request', 'The request body is not valid JSON.');
  }
}

function problem(c: Context, status: number, title: string, detail: string): Response {
  return c.json({ type: 'about:blank', title, status, detail }, status as 400, { 'Content-Type': PROBLEM });
}

export interface RunningVoyadoSimulator extends VoyadoSimulator {
  url: string;
  /** `${url}/api/v3`, what a destination's baseUrl should be. */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
}

export async function startVoyadoSimulator(opts: VoyadoSimulatorOptions & { port?: number } = {}): Promise<RunningVoyadoSimulator> {
  const sim = createVoyadoSimulator(opts);
  const server = await serveOnLoopback(sim.app, opts.port ?? 0);
  return { ...sim, url: server.url, baseUrl: `${server.url}/api/v3`, port: server.port, close: server.close };
}
