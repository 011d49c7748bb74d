// Done-criterion 3 over the admin API: one bad order in a batch becomes a dead letter with the store's text; fixing the destination and replaying delivers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/canonical/index.ts';
import { readConfig } from '../../src/node/config.ts';
import { startNode, type RunningNode } from '../../src/node/server.ts';
import { startEngageSimulator } from '../../connectors/stores/engage/simulator/index.ts';
import { startEsputnikSimulator } from '../../connectors/stores/esputnik/simulator/index.ts';
import { startExpertSenderSimulator } from '../../connectors/stores/expertsender/simulator/index.ts';
import { startVoyadoSimulator } from '../../connectors/stores/voyado/simulator/index.ts';
import { eventually } from '../support/shopifySender.ts';
import { orderChange, SHOP, SHOP_DOMAIN, storeOrder } from './harness.ts';

const TOKEN = 'admin-token-for-store-tests';
const GOOD = ['2001', '2002', '2003', '2004'];

interface DeadLetterView { id: number; destinationId: string; orderKey: string; error: string; attempts: number; replayedAt: number | null }

let dir: string;
let node: RunningNode;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ob-dead-letters-'));
  node = await startNode(readConfig({
    PORT: '0', DATABASE_PATH: join(dir, 'orderbridge.db'), ADMIN_TOKEN: TOKEN, ENCRYPTION_KEY: 'store-tests-encryption-key',
    DELIVERY_POLL_MS: '10', DELIVERY_BACKOFF_BASE_MS: '5', DELIVERY_BACKOFF_MAX_MS: '50', DELIVERY_MAX_ATTEMPTS: '5',
  }));
  node.storage.shops.ensure('shopify', SHOP_DOMAIN);
});
afterEach(async () => {
  await node.stop();
  for (const close of closers.splice(0)) await close();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${node.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const destinationsPath = `/shops/${encodeURIComponent(SHOP)}/destinations`;

/** One webhook-sized commit of several orders, then the nudge the ingest queue would give. */
function receive(orders: Order[]): void {
  const results = node.storage.database.sqlite.transaction(() =>
    orders.map((o) => node.storage.writer.apply(null, orderChange(o, ['order.created']))))();
  expect(results.map((r) => r.outcome)).toEqual(orders.map(() => 'accepted'));
  node.storage.onCommit();
}

async function deadLettersOf(destinationId: string): Promise<DeadLetterView[]> {
  const { status, json } = await api('GET', `/dead-letters?destination=${encodeURIComponent(destinationId)}`);
  expect(status).toBe(200);
  return json.items as DeadLetterView[];
}

/** Waits until the good orders are at the store and exactly one dead letter waits; returns it. */
async function oneDeadLetter(destinationId: string, goodDelivered: () => boolean): Promise<DeadLetterView> {
  await eventually(async () => (goodDelivered() ? true : undefined), 10_000, 'the valid orders at the store');
  const letters = await eventually(async () => {
    const items = await deadLettersOf(destinationId);
    return items.length > 0 ? items : undefined;
  }, 10_000, 'a dead letter');
  expect(letters).toHaveLength(1);
  return letters[0]!;
}

async function replay(letter: DeadLetterView): Promise<void> {
  const first = await api('POST', `/dead-letters/${letter.id}/replay`);
  expect(first).toMatchObject({ status: 202, json: { replayed: true, id: letter.id, orderKey: letter.orderKey } });
  // A second replay of the same letter is refused; it left the open list.
  expect((await api('POST', `/dead-letters/${letter.id}/replay`)).status).toBe(409);
  expect(await deadLettersOf(letter.destinationId)).toEqual([]);
}

describe('dead letters and replay through the admin API (startNode, real SQLite file)', () => {
  it('engage: an order older than the destination\'s maxOrderAgeDays is dead-lettered; widening the window and replaying delivers it', async () => {
    const sim = await startEngageSimulator({ port: 0 });
    closers.push(sim.close);
    const created = await api('POST', destinationsPath, { kind: 'engage', settings: { baseUrl: sim.url, maxOrderAgeDays: 365 }, secret: sim.token });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.json)).not.toContain(sim.token);

    // 400 days old: outside the merchant's 365-day window, inside Engage's own two years.
    const old = storeOrder('2999', 1, { createdAt: new Date(Date.now() - 400 * 86_400_000).toISOString() });
    receive([...GOOD.slice(0, 2).map((id) => storeOrder(id, 1)), old, ...GOOD.slice(2).map((id) => storeOrder(id, 1))]);

    const letter = await oneDeadLetter(`${SHOP}:engage`, () => GOOD.every((id) => sim.orders.has(id)));
    expect(letter.orderKey).toBe(`${SHOP}:2999`);
    // Engage's connector refuses it before sending (README "What is not sent"): the reason names the window.
    expect(letter.error).toBe(`not sent to Engage: created ${old.createdAt}: Engage takes orders from the last 365 days only`);
    expect(sim.orders.has('2999')).toBe(false);

    // Fix the destination (no secret in the body: the sealed one is kept), then replay.
    const fixed = await api('POST', destinationsPath, { kind: 'engage', settings: { baseUrl: sim.url, maxOrderAgeDays: 730 } });
    expect(fixed).toMatchObject({ status: 200, json: { hasSecret: true, settings: { maxOrderAgeDays: 730 } } });
    await replay(letter);
    await eventually(async () => (sim.orders.has('2999') ? true : undefined), 10_000, 'the replayed order at Engage');
    expect(sim.orders.get('2999')).toMatchObject({ email: 'anna@example.com', order_value: 30.01, status: 'pending' });
  });

  it('expertsender: an order matched by a key the business unit does not use is refused with ECDP\'s problem text; matchBy Phone and replay deliver it', async () => {
    const sim = await startExpertSenderSimulator({ port: 0 }); // the business unit matches customers by Email
    closers.push(sim.close);
    expect((await api('POST', destinationsPath, { kind: 'expertsender', settings: { baseUrl: sim.url, batchSize: 10 }, secret: sim.apiKey })).status).toBe(201);

    const phoneOnly = storeOrder('2999', 1);
    phoneOnly.customer = { ...phoneOnly.customer!, email: null };
    receive([...GOOD.slice(0, 2).map((id) => storeOrder(id, 1)), phoneOnly, ...GOOD.slice(2).map((id) => storeOrder(id, 1))]);

    const letter = await oneDeadLetter(`${SHOP}:expertsender`, () => GOOD.every((id) => sim.orders.has(id)));
    expect(letter.orderKey).toBe(`${SHOP}:2999`);
    expect(letter.error).toMatch(/^ExpertSender 400 OrderInvalidModelState: /);
    expect(letter.error).toContain('The email field is required when customers are matched by Email.');
    expect(sim.orders.has('2999')).toBe(false);

    expect((await api('POST', destinationsPath, { kind: 'expertsender', settings: { baseUrl: sim.url, batchSize: 10, matchBy: 'Phone' } })).status).toBe(200);
    await replay(letter);
    await eventually(async () => (sim.orders.has('2999') ? true : undefined), 10_000, 'the replayed order at ExpertSender');
    expect(sim.orders.get('2999')).toMatchObject({ id: '2999', customer: { phone: '+46700000000' }, totalValue: 30.01, isDeleted: false });
    expect(sim.orders.get('2999')!.customer.email).toBeUndefined();
  });

  it('esputnik-orders: an id prefix that makes externalOrderId too long is refused with eSputnik\'s text; a shorter prefix and replay deliver it', async () => {
    const sim = await startEsputnikSimulator({ port: 0 });
    closers.push(sim.close);
    const prefix = 'demo-shop-myshopify-com-eu-'; // 27 characters
    expect((await api('POST', destinationsPath, { kind: 'esputnik-orders', settings: { baseUrl: sim.baseUrl, orderIdPrefix: prefix }, secret: 'esputnik-test-key' })).status).toBe(201);

    const longId = '9'.repeat(80); // 27 + 80 > the 100 characters eSputnik keeps
    receive([...GOOD.slice(0, 2).map((id) => storeOrder(id, 1)), storeOrder(longId, 1), ...GOOD.slice(2).map((id) => storeOrder(id, 1))]);

    const letter = await oneDeadLetter(`${SHOP}:esputnik-orders`, () => GOOD.every((id) => sim.orders.has(prefix + id)));
    expect(letter.orderKey).toBe(`${SHOP}:${longId}`);
    expect(letter.error).toBe(`eSputnik refused order ${prefix}${longId}: externalOrderId is longer than 100 characters`);
    expect(sim.orders.size).toBe(GOOD.length);

    expect((await api('POST', destinationsPath, { kind: 'esputnik-orders', settings: { baseUrl: sim.baseUrl, orderIdPrefix: 'eu-' } })).status).toBe(200);
    await replay(letter);
    await eventually(async () => (sim.orders.has(`eu-${longId}`) ? true : undefined), 10_000, 'the replayed order at eSputnik');
    expect(sim.orders.get(`eu-${longId}`)).toMatchObject({ totalCost: 30.01, status: 'INITIALIZED', email: 'anna@example.com', currency: 'EUR' });
  });

  it('voyado: a phone-only order with contactMatchKeys [Email] is refused before sending; adding MobilePhone and replaying delivers it, without an order action', async () => {
    const sim = await startVoyadoSimulator({ port: 0 });
    closers.push(sim.close);
    const settings = { baseUrl: sim.baseUrl, jobPollIntervalMs: 0, contactMatchKeys: ['Email'] };
    const created = await api('POST', destinationsPath, { kind: 'voyado', settings, secret: sim.apiKey });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.json)).not.toContain(sim.apiKey);

    const phoneOnly = storeOrder('2999', 1);
    phoneOnly.customer = { ...phoneOnly.customer!, email: null };
    receive([...GOOD.slice(0, 2).map((id) => storeOrder(id, 1)), phoneOnly, ...GOOD.slice(2).map((id) => storeOrder(id, 1))]);

    const letter = await oneDeadLetter(`${SHOP}:voyado`, () => GOOD.every((id) => sim.orders.get(id) !== undefined));
    expect(letter.orderKey).toBe(`${SHOP}:2999`);
    // The mapping finds no key to match an Engage contact with (README mapping table, contact row).
    expect(letter.error).toBe('not sent to Voyado: no Email on the order to match a Voyado contact (guest without contact details)');
    expect(sim.orders.get('2999')).toBeUndefined();
    expect(sim.stats.calls.filter((c) => c.includes('2999'))).toEqual([]);

    const fixed = await api('POST', destinationsPath, { kind: 'voyado', settings: { ...settings, contactMatchKeys: ['Email', 'MobilePhone'] } });
    expect(fixed).toMatchObject({ status: 200, json: { hasSecret: true, settings: { contactMatchKeys: ['Email', 'MobilePhone'] } } });
    await replay(letter);
    await eventually(async () => (sim.orders.get('2999') ? true : undefined), 10_000, 'the replayed order at Voyado');
    expect(sim.orders.get('2999')).toMatchObject({
      orderId: '2999', contact: { matchKey: '+46700000000', matchKeyType: 'MobilePhone' }, status: 'InProgress', payments: { total: 30.01 },
    });
    // The live orders fired ConfirmOrder; the replayed one (possibly days late) fires nothing (README, order actions).
    expect(sim.storage.actions.map((a) => [a.orderId, a.action]).sort()).toEqual(GOOD.map((id) => [id, 'ConfirmOrder']));
  });

  it('voyado: an order whose email Engage has no contact for is a dead letter with Voyado\'s job text; matching by MobilePhone and replaying delivers it', async () => {
    const sim = await startVoyadoSimulator({ port: 0 });
    closers.push(sim.close);
    const settings = { baseUrl: sim.baseUrl, jobPollIntervalMs: 0, contactMatchKeys: ['Email'] };
    expect((await api('POST', destinationsPath, { kind: 'voyado', settings, secret: sim.apiKey })).status).toBe(201);

    const stranger = storeOrder('2998', 1);
    stranger.customer = { ...stranger.customer!, email: 'stranger@example.com' };
    sim.storage.missingContacts.add('stranger@example.com');
    receive([...GOOD.slice(0, 2).map((id) => storeOrder(id, 1)), stranger, ...GOOD.slice(2).map((id) => storeOrder(id, 1))]);

    const letter = await oneDeadLetter(`${SHOP}:voyado`, () => GOOD.every((id) => sim.orders.get(id) !== undefined));
    expect(letter.orderKey).toBe(`${SHOP}:2998`);
    // Sent, and refused by Voyado itself: its job ended CompletedWithErrors, and the letter carries the job's own words.
    expect(letter.error).toMatch(/completed with errors.*ContactNotFound.*No contact matches Email stranger@example\.com.*the order was deleted again/);
    // Stored without a contact it could not be acted on, so it was deleted again (seed), ready to be registered anew.
    expect(sim.orders.get('2998')).toBeUndefined();

    const fixed = await api('POST', destinationsPath, { kind: 'voyado', settings: { ...settings, contactMatchKeys: ['MobilePhone'] } });
    expect(fixed.status).toBe(200);
    await replay(letter);
    await eventually(async () => {
      const held = sim.orders.get('2998') as { contact?: { matchKeyType?: string } } | undefined;
      return held?.contact?.matchKeyType === 'MobilePhone' ? true : undefined;
    }, 10_000, 'the replayed order at Voyado, matched by phone');
    expect(sim.orders.get('2998')).toMatchObject({ orderId: '2998', contact: { matchKey: '+46700000000', matchKeyType: 'MobilePhone' } });
    expect(await deadLettersOf(`${SHOP}:voyado`)).toEqual([]);
  });
});
