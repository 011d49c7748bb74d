// Shopify webhooks parsed and mapped on a worker thread: the same changes as on the event loop, orders
// sent back as serialised versions, and nothing lost when the thread ends or cannot send a change back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../core/pipeline/change.ts';
import { versionOf } from '../core/pipeline/orderVersion.ts';
import { unpackOrder } from '../core/state/packedOrder.ts';
import { translateShopify, type ShopifyDelivery } from '../app/webhooks/shopify/translation.ts';
import { shopifyDocsOrderBody } from '../../test/support/fixtures.ts';
import { startTranslationThread, type TranslationThread } from './translationThread.ts';

const SHOP = 'bench-shop.myshopify.com';
const delivery = (topic: string, body: string): ShopifyDelivery => ({ topic, body, shop: SHOP, triggeredAt: Date.parse('2026-11-23T10:00:00Z') });
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../test/fixtures/shopify', name), 'utf8');

let thread: TranslationThread | null = null;
afterEach(async () => {
  await thread?.close();
  thread = null;
});

function changeOf(translation: Awaited<ReturnType<TranslationThread['translate']>>): Change {
  if (!('change' in translation)) throw new Error(`expected a change, got ${JSON.stringify(translation)}`);
  return translation.change;
}

describe('translation thread', () => {
  it('sends an order back as the serialised version the event loop would have made, big ids exact', async () => {
    thread = startTranslationThread();
    const body = shopifyDocsOrderBody({ id: '820982911946154508' });
    const change = changeOf(await thread.translate(delivery('orders/create', body)));
    const here = changeOf(translateShopify(delivery('orders/create', body)));
    if (change.kind !== 'version' || here.kind !== 'order') throw new Error(`kinds ${change.kind} / ${here.kind}`);
    // The packed order crosses the thread as a Uint8Array (a Buffer here): the same bytes.
    const { packed, ...version } = change.version;
    const { packed: packedHere, ...versionHere } = versionOf(here.order);
    expect(version).toEqual(versionHere);
    expect(Buffer.from(packed)).toEqual(packedHere);
    expect(change.events).toEqual(here.events);
    expect(change.version.key).toBe(`shopify:${SHOP}:820982911946154508`);
    expect(unpackOrder(packed)).toContain('"820982911946154508"');
    expect(thread.translated).toBe(1);
  });

  it('answers a body that is not JSON as such, and quarantines an order it cannot read', async () => {
    thread = startTranslationThread();
    const broken = await thread.translate(delivery('orders/create', '{"id": 1,'));
    expect(broken).toMatchObject({ invalidJson: expect.stringMatching(/JSON/) });
    const unreadable = changeOf(await thread.translate(delivery('orders/create', '{"id":"not an order"}')));
    expect(unreadable).toMatchObject({ kind: 'quarantine', body: '{"id":"not an order"}', error: expect.stringMatching(/^orders\/create: /) });
    expect(thread.translated).toBe(2);
  });

  it('translates a refund on the event loop: its change amends the stored order with code no thread can post', async () => {
    thread = startTranslationThread();
    const change = changeOf(await thread.translate(delivery('refunds/create', fixture('refund-create.json'))));
    expect(change.kind).toBe('amend');
    if (change.kind === 'amend') expect(typeof change.amend).toBe('function');
    expect(thread.translated).toBe(0);
  });

  it('answers every webhook still waiting when the thread ends, and starts a new thread for the next', async () => {
    thread = startTranslationThread();
    const bodies = Array.from({ length: 40 }, (_, i) => shopifyDocsOrderBody({ id: String(9_007_199_254_740_993n + BigInt(i)) }));
    const pending = bodies.map((body) => thread!.translate(delivery('orders/updated', body)));
    await thread.close();
    const keys = (await Promise.all(pending)).map((t) => {
      const change = changeOf(t);
      return change.kind === 'version' ? change.version.key : change.kind === 'order' ? change.order.key : change.kind;
    });
    expect(keys).toEqual(bodies.map((_, i) => `shopify:${SHOP}:${9_007_199_254_740_993n + BigInt(i)}`));
    // The thread was still loading its modules when it ended: all 40 were translated here.
    expect(thread.translated).toBe(0);
    const after = changeOf(await thread.translate(delivery('orders/create', bodies[0]!)));
    expect(after.kind).toBe('version');
  });
});
