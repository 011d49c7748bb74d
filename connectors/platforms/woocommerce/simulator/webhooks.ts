import { createHmac } from 'node:crypto';
import { signWooBody } from '../webhook.ts';
import { phpJson, wpDate, wpSpecialcharsDecode } from './wp.ts';

// The simulated store's webhooks: registry, deliveries exactly as WC_Webhook::deliver sends them, the log.

export type WebhookStatus = 'active' | 'paused' | 'disabled';
const RESOURCES = ['coupon', 'customer', 'order', 'product'];
const EVENTS = ['created', 'updated', 'deleted', 'restored'];
export const MAX_DELIVERY_FAILURES = 5; // woocommerce_max_webhook_delivery_failures

export function isValidTopic(topic: string): boolean {
  const [resource, event, ...rest] = topic.split('.');
  if (rest.length > 0 || !resource || !event) return false;
  return resource === 'action' ? event.length > 0 : RESOURCES.includes(resource) && EVENTS.includes(event);
}

export interface SimWebhook {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  deliveryUrl: string;
  secret: string;
  failureCount: number;
  createdMs: number;
  modifiedMs: number;
}

export interface SimDelivery {
  /** Position in `deliveries`, 0-based. */
  seq: number;
  kind: 'ping' | 'delivery';
  webhookId: number;
  topic: string | null;
  deliveryId: string | null;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Answer status; null when the request failed (refused, timeout). */
  status: number | null;
  error: string | null;
  /** WooCommerce's success rule: 200–302 (ping: exactly 200). */
  ok: boolean;
  /** Set on a re-send of an earlier delivery (same Delivery-ID and body). */
  resendOf: number | null;
  /** Set when an older version of the resource was sent on purpose. */
  stale: boolean;
}

export interface WebhookDeps {
  now: () => number;
  siteUrl: () => string;
  siteOffsetMinutes: number;
  wooVersion: string;
  wpVersion: string;
  /** 'wp-hash' = modern WooCommerce (wp_hash(webhook id . unix second)); 'counter' = WooCommerce < 3.3. */
  deliveryIds: 'wp-hash' | 'counter';
  timeoutMs: number;
}

export class SimWebhooks {
  readonly hooks = new Map<number, SimWebhook>();
  readonly deliveries: SimDelivery[] = [];
  private nextId = 1;
  private counter = 0;
  private readonly salt = Math.random().toString(36).slice(2);

  constructor(private readonly deps: WebhookDeps) {}

  get userAgent(): string {
    return `WooCommerce/${this.deps.wooVersion} Hookshot (WordPress/${this.deps.wpVersion})`;
  }

  create(input: { name?: string; topic: string; deliveryUrl: string; secret: string; status?: WebhookStatus }): SimWebhook {
    const now = this.deps.now();
    const hook: SimWebhook = {
      id: this.nextId++,
      name: input.name ?? `Webhook created on ${new Date(now).toUTCString()}`,
      status: input.status ?? 'active',
      topic: input.topic,
      deliveryUrl: input.deliveryUrl,
      secret: input.secret,
      failureCount: 0,
      createdMs: now,
      modifiedMs: now,
    };
    this.hooks.set(hook.id, hook);
    return hook;
  }

  /** Re-activating resets the failure count, as saving the webhook does in WooCommerce. */
  setStatus(hook: SimWebhook, status: WebhookStatus): void {
    if (status === 'active') hook.failureCount = 0;
    hook.status = status;
    hook.modifiedMs = this.deps.now();
  }

  render(h: SimWebhook): Record<string, unknown> {
    const site = this.deps.siteUrl().replace(/\/$/, '');
    const [resource, event] = h.topic.split('.');
    return {
      id: h.id, name: h.name, status: h.status, topic: h.topic, resource, event,
      hooks: [`woocommerce_${event}_${resource}`], delivery_url: h.deliveryUrl,
      date_created: wpDate(h.createdMs, this.deps.siteOffsetMinutes), date_created_gmt: wpDate(h.createdMs),
      date_modified: wpDate(h.modifiedMs, this.deps.siteOffsetMinutes), date_modified_gmt: wpDate(h.modifiedMs),
      _links: { self: [{ href: `${site}/wp-json/wc/v3/webhooks/${h.id}` }], collection: [{ href: `${site}/wp-json/wc/v3/webhooks` }] },
    };
  }

  activeFor(topic: string): SimWebhook[] {
    return [...this.hooks.values()].filter((h) => h.status === 'active' && h.topic === topic);
  }

  private newDeliveryId(hook: SimWebhook): string {
    if (this.deps.deliveryIds === 'counter') return String(++this.counter);
    const second = Math.floor(this.deps.now() / 1000);
    return createHmac('md5', this.salt).update(`${hook.id}${second}`).digest('hex');
  }

  /** WC_Webhook::deliver_ping: form body, no X-WC headers, success only on exactly 200. */
  async ping(hook: SimWebhook): Promise<SimDelivery> {
    const headers = { 'user-agent': this.userAgent, 'content-type': 'application/x-www-form-urlencoded' };
    return this.post({ kind: 'ping', hook, topic: null, deliveryId: null, headers, body: `webhook_id=${hook.id}`, resendOf: null, stale: false });
  }

  /** WC_Webhook::deliver: the payload is built by the caller at send time. */
  async deliver(hook: SimWebhook, payload: unknown, stale = false): Promise<SimDelivery> {
    const body = phpJson(payload);
    const [resource, event] = hook.topic.split('.');
    const deliveryId = this.newDeliveryId(hook);
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      'content-type': 'application/json',
      'x-wc-webhook-source': `${this.deps.siteUrl().replace(/\/$/, '')}/`,
      'x-wc-webhook-topic': hook.topic,
      'x-wc-webhook-resource': resource!,
      'x-wc-webhook-event': event!,
      'x-wc-webhook-signature': await signWooBody(body, wpSpecialcharsDecode(hook.secret)),
      'x-wc-webhook-id': String(hook.id),
      'x-wc-webhook-delivery-id': deliveryId,
    };
    return this.post({ kind: 'delivery', hook, topic: hook.topic, deliveryId, headers, body, resendOf: null, stale });
  }

  /** Sends an earlier delivery again, byte for byte (same Delivery-ID and signature): a duplicate. */
  async resend(seq: number): Promise<SimDelivery> {
    const original = this.deliveries[seq];
    if (!original) throw new Error(`no delivery #${seq}`);
    const hook = this.hooks.get(original.webhookId);
    if (!hook) throw new Error(`webhook ${original.webhookId} is gone`);
    return this.post({ ...original, hook, resendOf: seq, stale: original.stale });
  }

  private async post(d: {
    kind: SimDelivery['kind']; hook: SimWebhook; topic: string | null; deliveryId: string | null;
    headers: Record<string, string>; body: string; resendOf: number | null; stale: boolean;
  }): Promise<SimDelivery> {
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.hook.deliveryUrl, {
        method: 'POST', headers: d.headers, body: d.body, redirect: 'manual', signal: AbortSignal.timeout(this.deps.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const ok = d.kind === 'ping' ? status === 200 : status !== null && status >= 200 && status <= 302;
    if (d.kind === 'delivery') {
      // No retries. More than MAX consecutive failures disables the webhook.
      if (ok) d.hook.failureCount = 0;
      else if (++d.hook.failureCount > MAX_DELIVERY_FAILURES) d.hook.status = 'disabled';
    }
    const record: SimDelivery = {
      seq: this.deliveries.length, kind: d.kind, webhookId: d.hook.id, topic: d.topic, deliveryId: d.deliveryId,
      url: d.hook.deliveryUrl, headers: d.headers, body: d.body, status, error, ok, resendOf: d.resendOf, stale: d.stale,
    };
    this.deliveries.push(record);
    return record;
  }
}
