import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, readWooWebhook, signWooBody, verifyWooSignature, wooReceiptKey } from './webhook.ts';

const SECRET = 'orderbridge-test-secret';
const BODY = '{"id":727,"status":"processing","billing":{"first_name":"J\\u00fcrgen"},"_links":{"self":[{"href":"https:\\/\\/example.com"}]}}';
// computed independently of the module under test
const RIGHT = createHmac('sha256', SECRET).update(BODY, 'utf8').digest('base64');

describe('verifyWooSignature', () => {
  it('accepts the base64 HMAC-SHA256 of the raw body', async () => {
    expect(await verifyWooSignature(BODY, RIGHT, SECRET)).toBe(true);
    expect(await verifyWooSignature(new TextEncoder().encode(BODY), RIGHT, SECRET)).toBe(true);
    expect(await signWooBody(BODY, SECRET)).toBe(RIGHT);
  });

  it('rejects a wrong secret, a tampered body, a missing or malformed signature', async () => {
    expect(await verifyWooSignature(BODY, RIGHT, 'other-secret')).toBe(false);
    expect(await verifyWooSignature(BODY.replace('727', '728'), RIGHT, SECRET)).toBe(false);
    expect(await verifyWooSignature(BODY, null, SECRET)).toBe(false);
    expect(await verifyWooSignature(BODY, '', SECRET)).toBe(false);
    expect(await verifyWooSignature(BODY, 'not base64!', SECRET)).toBe(false);
    expect(await verifyWooSignature(BODY, createHmac('sha256', SECRET).update(BODY).digest('hex'), SECRET)).toBe(false);
    expect(await verifyWooSignature(BODY, RIGHT, '')).toBe(false);
  });

  it('is over the exact bytes: the same JSON re-serialized does not verify', async () => {
    const reserialized = JSON.stringify(JSON.parse(BODY));
    expect(reserialized).not.toBe(BODY);
    expect(await verifyWooSignature(reserialized, RIGHT, SECRET)).toBe(false);
  });
});

describe('readWooWebhook', () => {
  const deliveryHeaders = () =>
    new Headers({
      'content-type': 'application/json',
      'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
      'x-wc-webhook-source': 'https://Shop.Example.com/',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'updated',
      'x-wc-webhook-signature': RIGHT,
      'x-wc-webhook-id': '12',
      'x-wc-webhook-delivery-id': '5f1c0e9a2b3d4e5f60718293a4b5c6d7',
    });

  it('recognises the creation ping', () => {
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)' });
    expect(readWooWebhook(headers, 'webhook_id=12')).toEqual({ kind: 'ping', webhookId: '12' });
  });

  it('reads a delivery', () => {
    expect(readWooWebhook(deliveryHeaders(), BODY)).toEqual({
      kind: 'delivery',
      source: 'https://Shop.Example.com/',
      shop: 'shop.example.com',
      topic: 'order.updated',
      resource: 'order',
      event: 'updated',
      webhookId: '12',
      deliveryId: '5f1c0e9a2b3d4e5f60718293a4b5c6d7',
      signature: RIGHT,
    });
  });

  it('keeps a non-default port in the shop', () => {
    const h = deliveryHeaders();
    h.set('x-wc-webhook-source', 'http://127.0.0.1:8080/');
    expect(readWooWebhook(h, BODY)).toMatchObject({ kind: 'delivery', shop: '127.0.0.1:8080' });
  });

  it.each([
    ['x-wc-webhook-signature', 'missing X-WC-Webhook-Signature'],
    ['x-wc-webhook-source', 'missing X-WC-Webhook-Source'],
    ['x-wc-webhook-topic', 'missing X-WC-Webhook-Topic'],
    ['x-wc-webhook-delivery-id', 'missing X-WC-Webhook-Delivery-ID'],
  ])('a delivery without %s is invalid', (name, reason) => {
    const h = deliveryHeaders();
    h.delete(name);
    expect(readWooWebhook(h, BODY)).toEqual({ kind: 'invalid', reason });
  });

  it('junk is invalid', () => {
    expect(readWooWebhook(new Headers(), '{"hello":"world"}').kind).toBe('invalid');
    expect(readWooWebhook(new Headers(), 'webhook_id=abc').kind).toBe('invalid');
    const h = deliveryHeaders();
    h.set('x-wc-webhook-source', 'not a url');
    expect(readWooWebhook(h, BODY)).toEqual({ kind: 'invalid', reason: 'X-WC-Webhook-Source is not a site URL' });
    const t = deliveryHeaders();
    t.set('x-wc-webhook-topic', 'order');
    expect(readWooWebhook(t, BODY).kind).toBe('invalid');
  });
});

describe('wooReceiptKey and generateWebhookSecret', () => {
  it('tells apart two bodies sharing a Delivery-ID, and collapses a true re-send', async () => {
    const d = { shop: 'shop.example.com', webhookId: '12', deliveryId: 'abc' };
    const a = await wooReceiptKey(d, '{"id":1}');
    expect(await wooReceiptKey(d, '{"id":1}')).toBe(a);
    expect(await wooReceiptKey(d, '{"id":2}')).not.toBe(a);
  });

  it('makes long secrets WooCommerce will not HTML-escape', () => {
    const s = generateWebhookSecret();
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(s);
  });
});
