import { Hono } from 'hono';
import { Faults, serveOnLoopback, type RunningServer } from '../../../simulator-kit/index.ts';
import { WooAuth, type ApiKey, type KeyPermissions } from './auth.ts';
import { CORE_STATUSES, SimOrderBook, type SimOrderInput, type SimOrderPatch } from './orders.ts';
import { buildRoutes } from './routes.ts';
import { wcAuthRoutes, type WcAuthGrant } from './wcAuth.ts';
import { SimWebhooks, type SimDelivery, type SimWebhook } from './webhooks.ts';
import { phpJson } from './wp.ts';

// A WooCommerce store: REST v3 orders and webhooks, OAuth 1.0a auth, and webhook deliveries as Hookshot sends them.

export interface WooSimulatorOptions {
  consumerKey: string;
  consumerSecret: string;
  permissions?: KeyPermissions;
  /** More keys (e.g. a read-only one). */
  extraKeys?: ApiKey[];
  /** Site URL used in X-WC-Webhook-Source and _links; startWooSimulator sets it to the listening URL. */
  siteUrl?: string;
  /** Site timezone as minutes east of UTC: `date_*` (non-GMT) fields and dates_are_gmt=false filters use it. */
  siteOffsetMinutes?: number;
  storeCurrency?: string;
  /** Plugin statuses registered besides the core ones (without the "wc-" prefix). */
  customStatuses?: string[];
  firstOrderId?: number;
  /** 'immediate': store actions await their deliveries. 'queued': Action Scheduler style, sent by flush(), merged per resource. */
  delivery?: 'immediate' | 'queued';
  deliveryIds?: 'wp-hash' | 'counter';
  deliveryTimeoutMs?: number;
  now?: () => number;
  faultSeed?: number;
}

export type WooSimulator = ReturnType<typeof createWooSimulator>;

interface Pending { hookId: number; resourceId: number; resource: 'order' | 'customer'; deleted: boolean }

export function createWooSimulator(opts: WooSimulatorOptions) {
  const now = opts.now ?? Date.now;
  let siteUrl = opts.siteUrl ?? 'http://127.0.0.1';
  const siteOffsetMinutes = opts.siteOffsetMinutes ?? 0;
  const statuses = new Set<string>([...CORE_STATUSES, ...(opts.customStatuses ?? [])]);
  const faults = new Faults(opts.faultSeed ?? 1);
  const keys: ApiKey[] = [
    { consumerKey: opts.consumerKey, consumerSecret: opts.consumerSecret, permissions: opts.permissions ?? 'read_write' },
    ...(opts.extraKeys ?? []),
  ];
  // OAuth timestamps come from the client's real clock, so the check uses real time, not the store clock
  const auth = new WooAuth(keys, () => Math.floor(Date.now() / 1000));
  const book = new SimOrderBook({
    now, siteUrl: () => siteUrl, siteOffsetMinutes, storeCurrency: opts.storeCurrency ?? 'USD',
    statuses: () => statuses, firstOrderId: opts.firstOrderId ?? 100,
  });
  const hooks = new SimWebhooks({
    now, siteUrl: () => siteUrl, siteOffsetMinutes, wooVersion: '9.4.2', wpVersion: '6.7.1',
    deliveryIds: opts.deliveryIds ?? 'wp-hash', timeoutMs: opts.deliveryTimeoutMs ?? 60_000,
  });
  const customers = new Map<number, Record<string, unknown>>();
  let nextCustomerId = 1;
  const pending = new Map<string, Pending>();
  const wcAuth = wcAuthRoutes(auth);

  /** The body is what GET would answer when it is sent, not when the event happened. */
  const payloadOf = (p: Pending): unknown => {
    if (p.deleted) return { id: p.resourceId };
    if (p.resource === 'customer') return customers.get(p.resourceId);
    return book.render(book.get(p.resourceId));
  };

  const send = async (p: Pending): Promise<SimDelivery | null> => {
    const hook = hooks.hooks.get(p.hookId);
    if (!hook || hook.status !== 'active') return null;
    return hooks.deliver(hook, payloadOf(p));
  };

  const emit = async (topic: string, resourceId: number): Promise<SimDelivery[]> => {
    const [resource, event] = topic.split('.') as ['order' | 'customer', string];
    const sent: SimDelivery[] = [];
    for (const hook of hooks.activeFor(topic)) {
      const p: Pending = { hookId: hook.id, resourceId, resource, deleted: event === 'deleted' };
      if (opts.delivery === 'queued') pending.set(`${hook.id}:${resource}:${resourceId}`, p); // one pending action per webhook and resource
      else {
        const d = await send(p);
        if (d) sent.push(d);
      }
    }
    return sent;
  };

  const orderJson = (id: number) => book.render(book.get(id));

  const sim = {
    faults,
    get siteUrl() { return siteUrl; },
    setSiteUrl(url: string) { siteUrl = url.replace(/\/$/, ''); },
    /** Everything sent to delivery URLs, pings included, in order. */
    get deliveries(): readonly SimDelivery[] { return hooks.deliveries; },
    get webhooks(): readonly SimWebhook[] { return [...hooks.hooks.values()]; },
    get pendingDeliveries(): number { return pending.size; },
    /** Keys handed out by /wc-auth/v1/authorize, with what the app's callback answered. */
    get wcAuthGrants(): readonly WcAuthGrant[] { return wcAuth.grants; },
    /** Revokes a REST key (as deleting it under Settings → Advanced → REST API does). */
    revokeKey(consumerKey: string): boolean { return auth.removeKey(consumerKey); },
    orderIds(): number[] { return [...book.orders.keys()]; },
    getOrder: orderJson,
    /** Rendered versions of an order, oldest first. */
    orderVersions(id: number): readonly unknown[] { return book.versions.get(id) ?? []; },

    async createOrder(input: SimOrderInput = {}): Promise<Record<string, unknown>> {
      const o = book.create(input);
      // block-checkout drafts are not announced until they become real orders
      if (o.status !== 'checkout-draft') await emit('order.created', o.id);
      return orderJson(o.id);
    },
    async updateOrder(id: number, patch: SimOrderPatch): Promise<Record<string, unknown>> {
      const wasDraft = book.get(id).status === 'checkout-draft';
      const o = book.update(id, patch);
      if (wasDraft && o.status !== 'checkout-draft') await emit('order.created', id);
      else if (o.status !== 'checkout-draft') await emit('order.updated', id);
      return orderJson(id);
    },
    async refundOrder(id: number, amount: string | number, reason = ''): Promise<Record<string, unknown>> {
      book.refund(id, amount, reason);
      await emit('order.updated', id);
      return orderJson(id);
    },
    /** Moves the order to the trash: order.deleted with `{ id }`. */
    async deleteOrder(id: number): Promise<Record<string, unknown>> {
      book.trash(id);
      await emit('order.deleted', id);
      return orderJson(id);
    },
    async restoreOrder(id: number): Promise<Record<string, unknown>> {
      book.restore(id);
      await emit('order.restored', id);
      return orderJson(id);
    },
    async createCustomer(input: { email: string; first_name?: string; last_name?: string; username?: string }): Promise<Record<string, unknown>> {
      const id = nextCustomerId++;
      const at = new Date(now()).toISOString().slice(0, 19);
      const customer = {
        id, date_created: at, date_created_gmt: at, date_modified: at, date_modified_gmt: at, email: input.email,
        first_name: input.first_name ?? '', last_name: input.last_name ?? '', role: 'customer', username: input.username ?? input.email.split('@')[0],
        billing: { first_name: input.first_name ?? '', last_name: input.last_name ?? '', company: '', address_1: '', address_2: '', city: '', postcode: '', country: '', state: '', email: input.email, phone: '' },
        shipping: { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', postcode: '', country: '', state: '', phone: '' },
        is_paying_customer: false, avatar_url: '', meta_data: [],
      };
      customers.set(id, customer);
      await emit('customer.created', id);
      return customer;
    },

    /** Sends what Action Scheduler has queued (queued mode), each body built now. */
    async flush(): Promise<SimDelivery[]> {
      const due = [...pending.values()];
      pending.clear();
      const sent: SimDelivery[] = [];
      for (const p of due) {
        const d = await send(p);
        if (d) sent.push(d);
      }
      return sent;
    },
    /** A duplicate: delivery #seq again, same Delivery-ID, body and signature. */
    resend: (seq: number) => hooks.resend(seq),
    /** An out-of-order delivery: an older version of the order, freshly signed, to every active hook of `topic`. */
    async sendStale(orderId: number, options: { versionsBack?: number; topic?: string } = {}): Promise<SimDelivery[]> {
      const versions = book.versions.get(orderId) ?? [];
      const back = options.versionsBack ?? 1;
      const old = versions[versions.length - 1 - back];
      if (!old) throw new Error(`order ${orderId} has no version ${back} back`);
      const out: SimDelivery[] = [];
      for (const hook of hooks.activeFor(options.topic ?? 'order.updated')) out.push(await hooks.deliver(hook, old, true));
      return out;
    },
    /** Re-activates a webhook disabled by failures (as saving it in wp-admin does). */
    reactivateWebhook(id: number): void {
      const hook = hooks.hooks.get(id);
      if (!hook) throw new Error(`no webhook ${id}`);
      hooks.setStatus(hook, 'active');
    },
  };

  const app = new Hono();
  app.route('/', buildRoutes({
    auth, faults, book, hooks, siteOffsetMinutes, statuses: () => statuses,
    onWebhookCreated: async (id) => {
      const hook = hooks.hooks.get(id);
      if (hook) await hooks.ping(hook);
    },
  }));
  app.route('/wc-auth', wcAuth.routes);
  app.route('/_sim', simControlRoutes(sim));
  return Object.assign(sim, { app }); // assign, not spread: the getters must stay live
}

/** Unauthenticated loopback control API for the CLI (`orderbridge simulate woocommerce`). */
function simControlRoutes(sim: Omit<WooSimulator, 'app'>): Hono {
  const r = new Hono();
  const json = (body: unknown, status = 200) => new Response(phpJson(body), { status, headers: { 'content-type': 'application/json' } });
  r.onError((err) => json({ error: err.message }, 400));
  r.post('/orders', async (c) => json(await sim.createOrder(await c.req.json()), 201));
  r.put('/orders/:id', async (c) => json(await sim.updateOrder(Number(c.req.param('id')), await c.req.json())));
  r.post('/orders/:id/refunds', async (c) => {
    const body = (await c.req.json()) as { amount: string; reason?: string };
    return json(await sim.refundOrder(Number(c.req.param('id')), body.amount, body.reason ?? ''));
  });
  r.delete('/orders/:id', async (c) => json(await sim.deleteOrder(Number(c.req.param('id')))));
  r.post('/orders/:id/restore', async (c) => json(await sim.restoreOrder(Number(c.req.param('id')))));
  r.get('/deliveries', () => json(sim.deliveries));
  r.post('/deliveries/:seq/resend', async (c) => json(await sim.resend(Number(c.req.param('seq')))));
  r.post('/flush', async () => json(await sim.flush()));
  return r;
}

export type RunningWooSimulator = WooSimulator & RunningServer;

/** Starts the simulator on 127.0.0.1 (port 0 = any); its site URL becomes the listening URL. */
export async function startWooSimulator(opts: WooSimulatorOptions & { port?: number }): Promise<RunningWooSimulator> {
  const sim = createWooSimulator(opts);
  const server = await serveOnLoopback(sim.app, opts.port ?? 0);
  if (!opts.siteUrl) sim.setSiteUrl(server.url);
  return Object.assign(sim, { url: server.url, port: server.port, close: server.close });
}
