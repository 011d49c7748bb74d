import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { EsCustomer, EsOrder } from '../../../../mappings/stores/expertsender/index.ts';
import { Faults, RateWindow, serveOnLoopback, type RunningServer } from '../../../simulator-kit/index.ts';
import { validatePostOrders, validateStatus, type MatchBy } from './validation.ts';

/** An order as the simulated ECDP keeps it: what was accepted, plus the store's own bookkeeping. */
export type SimOrder = Omit<EsOrder, 'customer' | 'status'> & {
  /** Lower case, as ECDP lists the values. */
  status?: string;
  customer: EsCustomer & { id: number };
  /** DELETE sets it; GET then answers 404 and a later Add/AddOrReplace brings the order back. */
  isDeleted: boolean;
  /** How many times the order was written (POST or status PUT). */
  writes: number;
};

export interface SimCall {
  method: string;
  path: string;
  status: number;
}

export interface ExpertSenderSimulatorOptions {
  /** The key x-api-key must carry. */
  apiKey?: string;
  /** Largest `data` array accepted (the real limit is unconfirmed). */
  maxBatch?: number;
  /** The business unit's default customer matching mode (Settings > Customers). */
  defaultMatchBy?: MatchBy;
  /** Answer 429 above this many requests per second; null = no limit (the real limit is unconfirmed). */
  requestsPerSecond?: number | null;
  seed?: number;
  /** Clock of the rate window; tests pin it. */
  now?: () => number;
}

export interface ExpertSenderSimulator {
  app: Hono;
  faults: Faults;
  apiKey: string;
  /** Accepted orders by id, deleted ones included (isDeleted). */
  orders: Map<string, SimOrder>;
  /** Every API call answered, refused ones included (fault-injected ones are not recorded), oldest first. */
  calls: SimCall[];
  reset(): void;
}

export const SIM_DEFAULT_API_KEY = 'es-sim-key';
/** The request limit the registry's simulator enforces: ExpertSender's is unconfirmed, so the one the connector paces to (10/s). */
export const EXPERTSENDER_SIM_RATE_LIMIT = 10;

type ProblemStatus = 400 | 401 | 404 | 429;

function problem(c: Context, status: ProblemStatus, title: string, substatus: string, detail: string, errors?: string[]) {
  const body = {
    type: `https://tools.ietf.org/html/rfc9110#section-15.5.${{ 400: 1, 401: 2, 404: 5, 429: 30 }[status]}`,
    title, status, substatus, detail, instance: c.req.path,
    ...(errors ? { errors } : {}),
  };
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, { 'content-type': 'application/problem+json' });
}

async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: JSON.parse(await c.req.text()) };
  } catch {
    return { ok: false };
  }
}

/** A faithful ExpertSender ECDP orders API, built from the vendor document (seed 002). */
export function createExpertSenderSimulator(opts: ExpertSenderSimulatorOptions = {}): ExpertSenderSimulator {
  const apiKey = opts.apiKey ?? SIM_DEFAULT_API_KEY;
  const maxBatch = opts.maxBatch ?? 100;
  const defaultMatchBy = opts.defaultMatchBy ?? 'Email';
  const faults = new Faults(opts.seed ?? 1);
  const rate = opts.requestsPerSecond ? new RateWindow(opts.requestsPerSecond, opts.now ?? Date.now) : null;
  const orders = new Map<string, SimOrder>();
  const calls: SimCall[] = [];
  const customerIds = new Map<string, number>();
  const app = new Hono();

  const customerId = (customer: EsCustomer): number => {
    const key = customer.email?.toLowerCase() ?? customer.phone ?? customer.crmId ?? '';
    let id = customerIds.get(key);
    if (id === undefined) customerIds.set(key, (id = customerIds.size + 1));
    return id;
  };
  const visible = (id: string) => {
    const o = orders.get(id);
    return o && !o.isDeleted ? o : undefined;
  };
  const publicView = ({ isDeleted: _d, writes: _w, ...order }: SimOrder) => order;

  app.get('/_sim/orders', (c) => c.json([...orders.values()]));
  app.post('/_sim/reset', (c) => {
    orders.clear();
    calls.length = 0;
    return c.body(null, 204);
  });

  app.use('*', faults.middleware());
  app.use('*', async (c, next) => {
    const refused = (() => {
      if (rate && !rate.admit()) {
        c.header('Retry-After', '1');
        return problem(c, 429, 'Too Many Requests', 'RateLimitExceeded', 'Too many requests; retry after 1 second.');
      }
      if (c.req.header('x-api-key') !== apiKey) {
        return problem(c, 401, 'Unauthorized', 'InvalidApiKey', 'The x-api-key header is missing or does not hold a valid API key.');
      }
      return null;
    })();
    if (refused) {
      calls.push({ method: c.req.method, path: c.req.path, status: refused.status });
      return refused;
    }
    await next();
    calls.push({ method: c.req.method, path: c.req.path, status: c.res.status });
  });

  app.post('/orders', async (c) => {
    const json = await readJson(c);
    if (!json.ok) return problem(c, 400, 'Bad Request', 'InvalidJson', 'The request body is not valid JSON.');
    const checked = validatePostOrders(json.value, { maxBatch, defaultMatchBy });
    if (!checked.ok) {
      return problem(c, 400, 'One or more validation errors occurred.', 'OrderInvalidModelState',
        'See the errors property for details.', checked.errors);
    }
    const { mode, data } = checked.value;
    const incoming = data as unknown as EsOrder[];
    // all or nothing: a conflicting order refuses the whole call, like a validation error
    for (const [i, o] of incoming.entries()) {
      if (mode === 'Add' && visible(o.id)) {
        return problem(c, 400, 'Order already exists.', 'OrderAlreadyExists', `data[${i}].id: order '${o.id}' already exists; use AddOrReplace or Replace.`);
      }
      if (mode === 'Replace' && !visible(o.id)) {
        return problem(c, 400, 'Order not found.', 'OrderNotFound', `data[${i}].id: order '${o.id}' does not exist; use Add or AddOrReplace.`);
      }
    }
    for (const o of incoming) {
      const before = orders.get(o.id);
      orders.set(o.id, {
        ...o,
        ...(o.status !== undefined ? { status: o.status.toLowerCase() } : {}),
        customer: { ...o.customer, id: customerId(o.customer) },
        isDeleted: false,
        writes: (before?.writes ?? 0) + 1,
      });
    }
    return c.body(null, 201);
  });

  app.put('/orders/status', async (c) => {
    const json = await readJson(c);
    if (!json.ok) return problem(c, 400, 'Bad Request', 'InvalidJson', 'The request body is not valid JSON.');
    const checked = validateStatus(json.value);
    if (!checked.ok) {
      return problem(c, 400, 'One or more validation errors occurred.', 'OrderInvalidModelState',
        'See the errors property for details.', checked.errors);
    }
    const order = visible(checked.orderId);
    if (!order) return problem(c, 404, 'Not Found', 'OrderNotFound', `Order '${checked.orderId}' does not exist.`);
    order.status = checked.status;
    order.writes++;
    return c.body(null, 200);
  });

  app.get('/orders/:id', (c) => {
    const order = visible(c.req.param('id'));
    if (!order) return problem(c, 404, 'Not Found', 'OrderNotFound', `Order '${c.req.param('id')}' does not exist.`);
    return c.json({ status: 0, data: publicView(order) });
  });

  app.delete('/orders/:id', (c) => {
    const order = visible(c.req.param('id'));
    if (!order) return problem(c, 404, 'Not Found', 'OrderNotFound', `Order '${c.req.param('id')}' does not exist.`);
    order.isDeleted = true;
    return c.json({ status: 0, data: publicView(order) });
  });

  app.notFound((c) => problem(c, 404, 'Not Found', 'RouteNotFound', `${c.req.method} ${c.req.path} is not an ECDP orders endpoint.`));

  return {
    app, faults, apiKey, orders, calls,
    reset() {
      orders.clear();
      calls.length = 0;
      faults.clear();
    },
  };
}

export type RunningExpertSenderSimulator = ExpertSenderSimulator & RunningServer;

/** Runs the simulator on 127.0.0.1 (port 0 = any free port), for tests and `orderbridge simulate expertsender`. */
export async function startExpertSenderSimulator(
  opts: ExpertSenderSimulatorOptions & { port?: number } = {},
): Promise<RunningExpertSenderSimulator> {
  const sim = createExpertSenderSimulator(opts);
  const server = await serveOnLoopback(sim.app, opts.port ?? 0);
  return { ...sim, ...server };
}
