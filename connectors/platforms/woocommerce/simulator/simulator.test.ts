import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonLossless, totalsDiscrepancy } from '../../../../src/core/canonical/index.ts';
import { mapWooOrder, readWooDeletedOrderId } from '../../../../mappings/platforms/woocommerce/index.ts';
import { WooClient } from '../client.ts';
import { startWooSimulator, type RunningWooSimulator, type WooSimulatorOptions } from './index.ts';
import { readWooWebhook, verifyWooSignature } from '../webhook.ts';

const KEY = 'ck_sim';
const SECRET = 'cs_sim';
const HOOK_SECRET = 'whsec-3b1f7c2a9d';

interface Received { headers: IncomingHttpHeaders; body: string }

/** A tiny delivery receiver: keeps raw bodies and answers with `answer` (changeable). */
async function startReceiver() {
  const received: Received[] = [];
  const state = { answer: 200, location: '' };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(state.answer, state.location ? { location: state.location } : {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/woocommerce`;
  return { url, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const toHeaders = (h: IncomingHttpHeaders) => {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) if (typeof v === 'string') out.set(k, v);
  return out;
};

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(opts: Partial<WooSimulatorOptions> = {}, topics = ['order.created', 'order.updated', 'order.deleted', 'order.restored']) {
  const sim: RunningWooSimulator = await startWooSimulator({ consumerKey: KEY, consumerSecret: SECRET, ...opts });
  const receiver = await startReceiver();
  cleanup.push(sim.close, receiver.close);
  const client = new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET });
  const hooks = [];
  for (const topic of topics) hooks.push(await client.createWebhook({ topic, deliveryUrl: receiver.url, secret: HOOK_SECRET }));
  receiver.received.length = 0; // drop the pings; tested separately
  return { sim, receiver, client, hooks };
}

const LINES = { line_items: [{ name: 'Grüner Tee', product_id: 7, quantity: 2, price: '4.50', sku: 'TEA' }], shipping_lines: [{ method_title: 'Flat rate', total: '3.00' }], tax_rate_percent: 10 };

describe('webhook creation ping', () => {
  it('POSTs webhook_id=N form-encoded, without X-WC headers, before the REST answer', async () => {
    const sim = await startWooSimulator({ consumerKey: KEY, consumerSecret: SECRET });
    const receiver = await startReceiver();
    cleanup.push(sim.close, receiver.close);
    const client = new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET });
    const hook = await client.createWebhook({ topic: 'order.created', deliveryUrl: receiver.url, secret: HOOK_SECRET });
    expect(receiver.received).toHaveLength(1);
    const ping = receiver.received[0]!;
    expect(ping.body).toBe(`webhook_id=${hook.id}`);
    expect(ping.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(ping.headers['user-agent']).toMatch(/^WooCommerce\/[\d.]+ Hookshot \(WordPress\/[\d.]+\)$/);
    expect(Object.keys(ping.headers).filter((h) => h.startsWith('x-wc-'))).toEqual([]);
    expect(readWooWebhook(toHeaders(ping.headers), ping.body)).toEqual({ kind: 'ping', webhookId: String(hook.id) });
    expect(sim.deliveries[0]).toMatchObject({ kind: 'ping', ok: true, status: 200 });
  });

  it('a ping answered with 204 is recorded as failed (WooCommerce wants exactly 200)', async () => {
    const sim = await startWooSimulator({ consumerKey: KEY, consumerSecret: SECRET });
    const receiver = await startReceiver();
    cleanup.push(sim.close, receiver.close);
    receiver.state.answer = 204;
    await new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET }).createWebhook({ topic: 'order.created', deliveryUrl: receiver.url, secret: 's' });
    expect(sim.deliveries[0]).toMatchObject({ kind: 'ping', status: 204, ok: false });
  });
});

describe('order deliveries', () => {
  it('order.created: signed with the secret, all X-WC headers, body = GET /orders/{id}', async () => {
    const { sim, receiver, hooks } = await setup();
    const order = await sim.createOrder({ ...LINES, billing: { first_name: 'Zoë', email: 'zoe@example.com' } });
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    expect(await verifyWooSignature(body, headers['x-wc-webhook-signature'] as string, HOOK_SECRET)).toBe(true);
    expect(await verifyWooSignature(body, headers['x-wc-webhook-signature'] as string, 'wrong')).toBe(false);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'x-wc-webhook-source': `${sim.url}/`,
      'x-wc-webhook-topic': 'order.created',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'created',
      'x-wc-webhook-id': String(hooks[0]!.id),
    });
    expect(headers['x-wc-webhook-delivery-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(headers['user-agent']).toMatch(/Hookshot/);
    // PHP json_encode: escaped slashes and unicode
    expect(body).toContain('Zo\\u00eb');
    expect(body).toContain('http:\\/\\/');
    expect(parseJsonLossless(body)).toEqual(order);

    const read = readWooWebhook(toHeaders(headers), body);
    expect(read).toMatchObject({ kind: 'delivery', topic: 'order.created', shop: new URL(sim.url).host });
    const mapped = mapWooOrder(parseJsonLossless(body), new URL(sim.url).host);
    expect(mapped.totals).toEqual({ subtotal: 900, discount: 0, shipping: 300, fees: 0, tax: 120, total: 1320, refunded: 0 });
    expect(totalsDiscrepancy(mapped)).toBe(0);
  });

  it('updates, refunds, trash and restore each deliver their topic; deleted carries only { id }', async () => {
    const { sim, receiver } = await setup();
    const order = await sim.createOrder({ ...LINES, set_paid: true });
    const id = order.id as number;
    await sim.updateOrder(id, { status: 'completed' });
    await sim.refundOrder(id, '5.00', 'scratched');
    await sim.deleteOrder(id);
    await sim.restoreOrder(id);
    const topics = receiver.received.map((r) => r.headers['x-wc-webhook-topic']);
    expect(topics).toEqual(['order.created', 'order.updated', 'order.updated', 'order.deleted', 'order.restored']);
    const refunded = parseJsonLossless(receiver.received[2]!.body) as { refunds: unknown[]; status: string };
    expect(refunded.refunds).toEqual([{ id: expect.any(Number), reason: 'scratched', total: '-5.00' }]);
    expect(mapWooOrder(refunded, 'x').totals.refunded).toBe(500);
    const deleted = receiver.received[3]!.body;
    expect(deleted).toBe(`{"id":${id}}`);
    expect(readWooDeletedOrderId(parseJsonLossless(deleted))).toBe(String(id));
    const restored = parseJsonLossless(receiver.received[4]!.body) as { status: string };
    expect(restored.status).toBe('completed');
  });

  it('a full refund moves the order to refunded', async () => {
    const { sim, receiver } = await setup();
    const order = await sim.createOrder({ ...LINES, set_paid: true });
    await sim.refundOrder(order.id as number, order.total as string, 'returned');
    const last = parseJsonLossless(receiver.received.at(-1)!.body) as { status: string };
    expect(last.status).toBe('refunded');
    await expect(sim.refundOrder(order.id as number, '0.01', 'too much')).rejects.toThrow(/not within/);
  });

  it('queued mode: rapid updates merge and the body is the order at send time', async () => {
    const { sim, receiver } = await setup({ delivery: 'queued' });
    const order = await sim.createOrder(LINES);
    const id = order.id as number;
    await sim.updateOrder(id, { status: 'on-hold' });
    await sim.updateOrder(id, { status: 'processing' });
    expect(receiver.received).toHaveLength(0);
    expect(sim.pendingDeliveries).toBe(2); // one created, one (merged) updated
    await sim.flush();
    expect(receiver.received.map((r) => r.headers['x-wc-webhook-topic'])).toEqual(['order.created', 'order.updated']);
    // even the order.created body shows the latest state: Woo builds the payload when it sends
    for (const r of receiver.received) expect((parseJsonLossless(r.body) as { status: string }).status).toBe('processing');
  });

  it('resend repeats a delivery byte for byte (same Delivery-ID); sendStale sends an older version', async () => {
    let clock = Date.parse('2025-09-01T12:00:00Z');
    const { sim, receiver } = await setup({ now: () => clock });
    const order = await sim.createOrder(LINES);
    const id = order.id as number;
    clock += 5_000;
    await sim.updateOrder(id, { status: 'processing' });
    clock += 5_000;
    await sim.updateOrder(id, { status: 'completed' });

    const lastUpdate = sim.deliveries.filter((d) => d.kind === 'delivery')[2]!.seq; // pings come first in the log
    const dup = await sim.resend(lastUpdate);
    expect(dup).toMatchObject({ resendOf: lastUpdate, ok: true, kind: 'delivery' });
    const [orig, again] = [receiver.received[2]!, receiver.received[3]!];
    expect(again.body).toBe(orig.body);
    expect(again.headers['x-wc-webhook-delivery-id']).toBe(orig.headers['x-wc-webhook-delivery-id']);
    expect(again.headers['x-wc-webhook-signature']).toBe(orig.headers['x-wc-webhook-signature']);

    await sim.sendStale(id, { versionsBack: 1 });
    const stale = receiver.received[4]!;
    const staleOrder = parseJsonLossless(stale.body) as { status: string; date_modified_gmt: string };
    expect(staleOrder).toMatchObject({ status: 'processing', date_modified_gmt: '2025-09-01T12:00:05' });
    expect(await verifyWooSignature(stale.body, stale.headers['x-wc-webhook-signature'] as string, HOOK_SECRET)).toBe(true);
    expect(sim.deliveries.at(-1)).toMatchObject({ stale: true });
    const newest = mapWooOrder(parseJsonLossless(orig.body), 'x');
    expect(mapWooOrder(staleOrder, 'x').updatedAt < newest.updatedAt).toBe(true);
  });

  it('Delivery-ID is wp_hash(webhook id . second): shared within a second, new the next second; counter mode increments', async () => {
    let clock = Date.parse('2025-09-01T12:00:00.100Z');
    const { sim, receiver } = await setup({ now: () => clock }, ['order.created']);
    await sim.createOrder(LINES);
    clock += 500;
    await sim.createOrder(LINES);
    clock += 1_000;
    await sim.createOrder(LINES);
    const ids = receiver.received.map((r) => r.headers['x-wc-webhook-delivery-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);

    const counted = await setup({ deliveryIds: 'counter' }, ['order.created']);
    await counted.sim.createOrder(LINES);
    await counted.sim.createOrder(LINES);
    expect(counted.receiver.received.map((r) => r.headers['x-wc-webhook-delivery-id'])).toEqual(['1', '2']);
  });

  it('no retries; more than 5 consecutive failures disable the webhook; 2xx–302 count as success', async () => {
    const { sim, receiver, client } = await setup({}, ['order.created']);
    receiver.state.answer = 302;
    receiver.state.location = 'http://127.0.0.1:1/elsewhere';
    await sim.createOrder(LINES);
    expect(sim.deliveries.at(-1)).toMatchObject({ status: 302, ok: true });
    receiver.state.answer = 500;
    receiver.state.location = '';
    for (let i = 0; i < 5; i++) await sim.createOrder(LINES);
    expect(sim.webhooks[0]).toMatchObject({ status: 'active', failureCount: 5 });
    await sim.createOrder(LINES); // the 6th consecutive failure
    expect(sim.webhooks[0]).toMatchObject({ status: 'disabled', failureCount: 6 });
    expect(receiver.received).toHaveLength(7); // each sent exactly once
    await sim.createOrder(LINES);
    expect(receiver.received).toHaveLength(7); // disabled: nothing more is sent
    expect((await client.listWebhooks())[0]!.status).toBe('disabled');
    receiver.state.answer = 200;
    sim.reactivateWebhook(sim.webhooks[0]!.id);
    await sim.createOrder(LINES);
    expect(receiver.received).toHaveLength(8);
  });

  it('a refused connection is a failed delivery, not an exception', async () => {
    const sim = await startWooSimulator({ consumerKey: KEY, consumerSecret: SECRET });
    cleanup.push(sim.close);
    const receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    await new WooClient({ url: sim.url, consumerKey: KEY, consumerSecret: SECRET }).createWebhook({ topic: 'order.created', deliveryUrl: url, secret: 's' });
    await sim.createOrder(LINES);
    expect(sim.deliveries.at(-1)).toMatchObject({ kind: 'delivery', status: null, ok: false });
    expect(sim.webhooks[0]!.failureCount).toBe(1);
  });

  it('checkout drafts are not announced until they become orders', async () => {
    const { sim, receiver } = await setup();
    const draft = await sim.createOrder({ ...LINES, status: 'checkout-draft' });
    expect(receiver.received).toHaveLength(0);
    await sim.updateOrder(draft.id as number, { status: 'pending' });
    expect(receiver.received.map((r) => r.headers['x-wc-webhook-topic'])).toEqual(['order.created']);
  });

  it('customer.created delivers the customer', async () => {
    const { sim, receiver } = await setup({}, ['customer.created']);
    await sim.createCustomer({ email: 'ana@example.com', first_name: 'Ana' });
    const r = receiver.received[0]!;
    expect(r.headers['x-wc-webhook-topic']).toBe('customer.created');
    expect(parseJsonLossless(r.body)).toMatchObject({ id: 1, email: 'ana@example.com', first_name: 'Ana' });
  });
});

describe('store-side control API (/_sim)', () => {
  it('creates and refunds orders over HTTP for the CLI', async () => {
    const { sim, receiver } = await setup({}, ['order.created']);
    const res = await fetch(`${sim.url}/_sim/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(LINES) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: number; total: string };
    expect(created.total).toBe('13.20');
    expect(receiver.received).toHaveLength(1);
    const bad = await fetch(`${sim.url}/_sim/orders/${created.id}/refunds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: '99.00' }) });
    expect(bad.status).toBe(400);
    const deliveries = (await (await fetch(`${sim.url}/_sim/deliveries`)).json()) as unknown[];
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
  });
});
