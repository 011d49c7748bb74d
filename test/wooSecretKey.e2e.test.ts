// A WooCommerce shop's webhook secret is sealed with ENCRYPTION_KEY: started with another key, orderbridge says so
// after start-up and answers that shop's deliveries 503 secret_unreadable (not a bare 500), never logging the secret.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signWooBody } from '../connectors/platforms/woocommerce/index.ts';
import { startOrderbridge, type OrderbridgeProcess } from './support/orderbridgeProcess.ts';
import { eventually } from './support/shopifySender.ts';

const TOKEN = 'woo-key-token';
const SECRET = 'chosen-in-wordpress-7f3a';
const SITE = 'https://tea.example';
const body = readFileSync(join(import.meta.dirname, 'fixtures/woocommerce/order-v3-docs-sample.json'), 'utf8');

let running: OrderbridgeProcess | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function deliver(ob: OrderbridgeProcess, deliveryId: string) {
  const r = await fetch(`${ob.url}/webhooks/woocommerce`, {
    method: 'POST', body,
    headers: {
      'content-type': 'application/json', 'x-wc-webhook-source': `${SITE}/`, 'x-wc-webhook-topic': 'order.created',
      'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'created', 'x-wc-webhook-id': '11', 'x-wc-webhook-delivery-id': deliveryId,
      'x-wc-webhook-signature': await signWooBody(body, SECRET),
    },
  });
  return { status: r.status, body: (await r.json()) as Record<string, string> };
}

describe('a WooCommerce webhook secret sealed under another ENCRYPTION_KEY', () => {
  it('is named at start-up and its deliveries get 503 secret_unreadable until the key is back', async () => {
    running = await startOrderbridge({ ADMIN_TOKEN: TOKEN, ENCRYPTION_KEY: 'the-first-key-of-this-shop' });
    const dbPath = running.databasePath;
    const r = await fetch(`${running.url}/api/shops`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'woocommerce', url: SITE, registerWebhooks: false, webhookSecret: SECRET, storeCurrency: 'USD' }),
    });
    expect(r.status).toBe(201);
    await running.stop();

    running = await startOrderbridge({ ADMIN_TOKEN: TOKEN, ENCRYPTION_KEY: 'a-different-key' }, dbPath);
    const refused = await deliver(running, '1001');
    const ob = running;
    await eventually(async () => (ob.output().includes('cannot open (first: woocommerce:tea.example)') ? true : undefined), 5_000, 'the start-up warning');
    expect(refused).toMatchObject({ status: 503, body: { error: 'secret_unreadable' } });
    expect(refused.body.message).toContain('tea.example');
    expect(running.output()).not.toContain(SECRET);
    await running.stop();

    running = await startOrderbridge({ ADMIN_TOKEN: TOKEN, ENCRYPTION_KEY: 'the-first-key-of-this-shop' }, dbPath);
    expect(running.output()).not.toContain('cannot open');
    expect((await deliver(running, '1002')).status).toBe(200);
  });
});
