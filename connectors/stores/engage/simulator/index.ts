// A faithful Engage Order History API (seed 000) on loopback: Bearer auth, POST /v1/orders, overwrite by order_id.
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { stringify } from 'lossless-json';
import { Faults, RateWindow, serveOnLoopback } from '../../../simulator-kit/index.ts';
import { validateOrder, type ReceivedOrder } from './validate.ts';
import { integerKey, parseWireJson } from './wire.ts';

export const ENGAGE_SIM_DEFAULT_TOKEN = 'engage-sim-token';
export const ENGAGE_SIM_MAX_BATCH = 250;
/** Requests per second per token above which the simulator answers 429 (undocumented by Engage: the limit the connector assumes). */
export const ENGAGE_SIM_RATE_LIMIT = 100;

export interface EngageSimulatorOptions {
  /** The one user token accepted as `Authorization: Bearer <token>`. */
  token?: string;
  /** Fault-injection seed (deterministic). */
  seed?: number;
  now?: () => number;
  /** Orders created longer ago are refused ("last 2 years"); 0 = no window. */
  maxOrderAgeDays?: number;
  /** Keep accepted orders for read-back; benchmarks may turn this off to count only. */
  retain?: boolean;
  /** 429 with Retry-After above this many requests a second (default ENGAGE_SIM_RATE_LIMIT); null: no limit. */
  requestsPerSecond?: number | null;
}

export interface EngageSimulatorStats {
  requests: number;
  /** Orders accepted (a resend counts again). */
  accepted: number;
  /** Requests answered 400. */
  badRequests: number;
  /** Requests answered 429 for going over the rate limit. */
  throttled: number;
  unauthorized: number;
  /** Sizes of accepted requests, last 1000 (1 = single-order form). */
  batchSizes: number[];
}

export interface EngageSimulator {
  app: Hono;
  faults: Faults;
  token: string;
  /** Accepted orders by order_id digits; a resend overwrites. */
  orders: Map<string, ReceivedOrder>;
  stats: EngageSimulatorStats;
  reset(): void;
}

export function createEngageSimulator(opts: EngageSimulatorOptions = {}): EngageSimulator {
  const token = opts.token ?? ENGAGE_SIM_DEFAULT_TOKEN;
  const expectedAuth = `Bearer ${token}`;
  const now = opts.now ?? Date.now;
  const maxOrderAgeDays = opts.maxOrderAgeDays ?? 730;
  const retain = opts.retain ?? true;
  const faults = new Faults(opts.seed);
  const orders = new Map<string, ReceivedOrder>();
  const stats: EngageSimulatorStats = { requests: 0, accepted: 0, badRequests: 0, throttled: 0, unauthorized: 0, batchSizes: [] };
  const limit = opts.requestsPerSecond === undefined ? ENGAGE_SIM_RATE_LIMIT : opts.requestsPerSecond;
  const rate = limit ? new RateWindow(limit, now) : null;

  const app = new Hono();
  app.use('*', faults.middleware());

  const fail = (c: Context, error: string) => {
    stats.badRequests++;
    return c.json({ message: 'Order upload failed', error }, 400);
  };

  app.post('/v1/orders', async (c) => {
    stats.requests++;
    if (rate && !rate.admit()) {
      stats.throttled++;
      c.header('Retry-After', '1');
      return c.json({ message: 'Too Many Requests', error: `rate limit is ${limit} requests per second` }, 429);
    }
    const auth = c.req.header('authorization');
    if (auth !== expectedAuth) {
      stats.unauthorized++;
      return c.json({ message: 'Unauthorized', error: auth ? 'invalid user token' : 'missing Bearer token' }, 401);
    }
    if (!(c.req.header('content-type') ?? '').includes('application/json')) {
      return fail(c, 'Content-Type must be application/json');
    }
    let body: unknown;
    try {
      body = parseWireJson(await readBody(c));
    } catch {
      return fail(c, 'body is not valid JSON');
    }
    const batch = Array.isArray(body);
    const received: unknown[] = Array.isArray(body) ? body : [body];
    if (batch && received.length === 0) return fail(c, 'no orders in the batch');
    if (received.length > ENGAGE_SIM_MAX_BATCH) {
      return fail(c, `a batch holds at most ${ENGAGE_SIM_MAX_BATCH} orders (got ${received.length})`);
    }
    const rules = { now: now(), maxOrderAgeDays };
    for (let i = 0; i < received.length; i++) {
      const problem = validateOrder(received[i], rules);
      // Nothing of a failing batch is kept (our assumption; resending is safe either way).
      if (problem) return fail(c, batch ? `orders[${i}].${problem}` : problem);
    }
    for (const order of received as ReceivedOrder[]) {
      if (retain) orders.set(integerKey(order.order_id), order);
    }
    stats.accepted += received.length;
    if (stats.batchSizes.push(received.length) > 1000) stats.batchSizes.shift();
    return c.json({ message: 'Order successfully added', count: received.length }, 200);
  });

  // Read-back for tests and `orderbridge simulate engage` users; never faulted.
  app.get('/_sim/orders/:id', (c) => {
    const order = orders.get(c.req.param('id'));
    return order ? c.body(stringify(order) ?? 'null', 200, { 'Content-Type': 'application/json' }) : c.json({ error: 'not found' }, 404);
  });
  app.get('/_sim/stats', (c) => c.json({ ...stats, batchSizes: undefined, stored: orders.size, injected: faults.injected }));
  app.delete('/_sim/orders', (c) => {
    reset();
    return c.body(null, 204);
  });

  function reset(): void {
    orders.clear();
    Object.assign(stats, { requests: 0, accepted: 0, badRequests: 0, throttled: 0, unauthorized: 0, batchSizes: [] });
  }

  return { app, faults, token, orders, stats, reset };
}

/** On Node, read the socket directly: the Web-stream body costs more than the rest of the request. */
function readBody(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || typeof incoming.on !== 'function' || incoming.readableEnded) return c.req.text();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

export interface RunningEngageSimulator extends EngageSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEngageSimulator(opts: EngageSimulatorOptions & { port?: number } = {}): Promise<RunningEngageSimulator> {
  const sim = createEngageSimulator(opts);
  const server = await serveOnLoopback(sim.app, opts.port ?? 0);
  return { ...sim, url: server.url, port: server.port, close: server.close };
}
