import { createHmac, randomUUID } from 'node:crypto';
import { gid } from './model.ts';

// The shop's webhook subscriptions (made through the Admin GraphQL API) and deliveries signed as Shopify
// signs them: base64(HMAC-SHA256(raw body, app secret)) with the X-Shopify-* headers.

export interface SimSubscription {
  id: string;
  /** The GraphQL enum value, e.g. ORDERS_CREATE. */
  topic: string;
  uri: string;
  format: 'JSON' | 'XML';
  includeFields: string[];
  filter: string | null;
  createdMs: number;
  updatedMs: number;
}

export interface SimShopifyDelivery {
  seq: number;
  url: string;
  topic: string;
  webhookId: string;
  headers: Record<string, string>;
  body: string;
  status: number | null;
  error: string | null;
}

// Resources whose names hold an underscore: the topic enum cannot be split at its first one.
const RESOURCES = ['bulk_operations', 'orders', 'refunds', 'checkouts', 'customers', 'app', 'shop'];

/** ORDERS_PARTIALLY_FULFILLED → orders/partially_fulfilled; BULK_OPERATIONS_FINISH → bulk_operations/finish. */
export function topicPath(enumValue: string): string {
  const lower = enumValue.toLowerCase();
  const resource = RESOURCES.find((r) => lower.startsWith(`${r}_`));
  if (!resource) throw new Error(`unknown topic ${enumValue}`);
  return `${resource}/${lower.slice(resource.length + 1)}`;
}

export const topicEnum = (path: string): string => path.replace('/', '_').toUpperCase();

export function signShopifyBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export type CreateResult = { subscription: SimSubscription } | { userErrors: Array<{ field: string[]; message: string }> };

export class SimWebhookSubscriptions {
  readonly subscriptions = new Map<string, SimSubscription>();
  readonly deliveries: SimShopifyDelivery[] = [];
  private next = 1;

  constructor(private readonly opts: {
    now: () => number;
    shopDomain: string;
    apiVersion: string;
    /** The app's client secret: deliveries are signed with it. */
    secret: () => string;
    deliveryTimeoutMs: number;
  }) {}

  create(topic: string, input: { uri?: string | null; callbackUrl?: string | null; format?: string | null; includeFields?: string[] | null; filter?: string | null }): CreateResult {
    const uri = input.uri ?? input.callbackUrl ?? '';
    const field = ['webhookSubscription', input.uri ? 'uri' : 'callbackUrl'];
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return { userErrors: [{ field, message: uri === '' ? "Address can't be blank" : 'Address is invalid' }] };
    }
    // Shopify delivers over https only; plain http is allowed here for loopback receivers in tests
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      return { userErrors: [{ field, message: `Address protocol ${url.protocol}// is not supported` }] };
    }
    for (const s of this.subscriptions.values()) {
      if (s.topic === topic && s.uri === uri) return { userErrors: [{ field, message: 'Address for this topic has already been taken' }] };
    }
    const now = this.opts.now();
    const id = gid('WebhookSubscription', String(1_000_000_000 + this.next++));
    const subscription: SimSubscription = {
      id, topic, uri, format: input.format === 'XML' ? 'XML' : 'JSON', includeFields: input.includeFields ?? [], filter: input.filter ?? null,
      createdMs: now, updatedMs: now,
    };
    this.subscriptions.set(id, subscription);
    return { subscription };
  }

  delete(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  forTopic(topic: string): SimSubscription[] {
    return [...this.subscriptions.values()].filter((s) => s.topic === topic);
  }

  /** POSTs `body` to `url` as Shopify delivers `topic`, signed with the app secret (or `secret`). */
  async send(url: string, topic: string, body: string, secret?: string): Promise<SimShopifyDelivery> {
    const webhookId = randomUUID();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': signShopifyBody(body, secret ?? this.opts.secret()),
      'x-shopify-shop-domain': this.opts.shopDomain,
      'x-shopify-api-version': this.opts.apiVersion,
      'x-shopify-webhook-id': webhookId,
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date(this.opts.now()).toISOString(),
      'user-agent': 'Shopify-Captain-Hook',
    };
    const delivery: SimShopifyDelivery = { seq: this.deliveries.length, url, topic, webhookId, headers, body, status: null, error: null };
    this.deliveries.push(delivery);
    try {
      // Shopify does not follow redirects: a 3xx is a failed delivery
      const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.opts.deliveryTimeoutMs) });
      delivery.status = res.status;
      await res.arrayBuffer();
    } catch (error) {
      delivery.error = (error as Error).message;
    }
    return delivery;
  }

  /** Delivers `body` to every subscription of `topic` (a path such as orders/updated). */
  async deliver(topic: string, body: string): Promise<SimShopifyDelivery[]> {
    const out: SimShopifyDelivery[] = [];
    for (const s of this.forTopic(topicEnum(topic))) out.push(await this.send(s.uri, topic, body));
    return out;
  }
}
