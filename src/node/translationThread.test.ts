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
import { startWooSimulator } from '../../connectors/platforms/woocommerce/simulator/index.ts';
import { JobFailure } from '../core/jobs/jobRunner.ts';
import { inlineResyncReader, type ResyncReader, type ResyncRequest, type VersionedPage } from '../core/resync/source.ts';
import { resyncSourcesOf } from './resyncThread.ts';

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

  it("reads a resync's pages: the versions the event loop would have made, webhooks translated between its orders", async () => {
    const woo = await startWooSimulator({ consumerKey: 'ck_t', consumerSecret: 'cs_t', storeCurrency: 'EUR' });
    try {
      for (let i = 0; i < 120; i++) {
        await woo.createOrder({ set_paid: i % 2 === 0, billing: { first_name: `Kund ${i}`, email: `kund${i}@example.com` }, line_items: [{ name: 'Kaffe', product_id: 7, quantity: 1 + (i % 3), price: '49.00' }] });
      }
      await woo.deleteOrder(woo.orderIds()[5]!);
      const request = (cursor: string | null): ResyncRequest => ({
        shop: new URL(woo.url).host, credentials: JSON.stringify({ consumerKey: 'ck_t', consumerSecret: 'cs_t' }),
        settings: JSON.stringify({ url: woo.url, storeCurrency: 'EUR' }), range: { from: 0, to: Number.MAX_SAFE_INTEGER, by: 'created' },
        cursor, signal: new AbortController().signal,
      });
      const all = async (reader: ResyncReader, cursor: string | null = null) => {
        const pages: VersionedPage[] = [];
        const it = reader.pages('woocommerce', request(cursor));
        for (let next = await it.next(); !next.done; next = await it.next()) pages.push(next.value);
        return pages;
      };
      thread = startTranslationThread();
      // The source loaded first (webhooks are translated on the event loop while it loads): then pages and webhooks share the thread.
      const warm = thread.resync.pages('woocommerce', request(null));
      await warm.next();
      await warm.return!();
      let read = false;
      const reading = all(thread.resync).finally(() => (read = true));
      // A webhook posted while the pages are read is answered meanwhile, not after the last page.
      const body = shopifyDocsOrderBody({ id: '820982911946154508' });
      const webhook = await thread.translate(delivery('orders/create', body));
      expect(changeOf(webhook).kind).toBe('version');
      expect(read).toBe(false);
      const onThread = await reading;
      const here = await all(inlineResyncReader(resyncSourcesOf({})));
      expect(onThread.map((p) => p.cursor)).toEqual(here.map((p) => p.cursor));
      expect(onThread.flatMap((p) => p.orders).length).toBe(120);
      expect(onThread.flatMap((p) => p.orders.map((o) => o.deleted?.key ?? null)).filter(Boolean)).toHaveLength(1);
      const strip = (pages: VersionedPage[]) => pages.flatMap((p) => p.orders.map(({ version: { packed, ...v }, deleted }) => ({ ...v, order: JSON.parse(unpackOrder(packed)), deleted })));
      const [a, b] = [strip(onThread), strip(here)];
      // The same orders as mapped in-line (the order's own updatedAt comes from the simulator, read twice alike).
      expect(a).toEqual(b);
      // Resumed from a page's cursor: the pages after it.
      expect((await all(thread.resync, onThread[0]!.cursor)).map((p) => p.cursor)).toEqual(onThread.slice(1).map((p) => p.cursor));
    } finally {
      await woo.close();
    }
  });

  it("translates webhooks on the event loop while a resync's source loads on the thread, and on the thread once it has", async () => {
    thread = startTranslationThread();
    const body = shopifyDocsOrderBody({ id: '820982911946154508' });
    // Opening a Shopify resync loads its client libraries on the thread (hundreds of ms the first time).
    const pages = thread.resync.pages('shopify', {
      shop: 'loading.myshopify.com', credentials: '{}', settings: '{}', range: { from: 0, to: 1, by: 'created' }, cursor: null, signal: new AbortController().signal,
    });
    // Cancelled at once: the thread goes on loading, and webhooks stay here until it says it is done.
    await pages.return!();
    const meanwhile = await thread.translate(delivery('orders/create', body));
    expect(changeOf(meanwhile).kind).toBe('order'); // made here: the thread sends versions
    expect(thread.translated).toBe(0);
    const deadline = Date.now() + 15_000;
    while (thread.translated === 0 && Date.now() < deadline) {
      await thread.translate(delivery('orders/create', body));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(thread.translated).toBeGreaterThan(0);
    expect(changeOf(await thread.translate(delivery('orders/create', body))).kind).toBe('version');
  });

  it("fails a resync's pages as the source did: a JobFailure stays one", async () => {
    thread = startTranslationThread();
    const pages = thread.resync.pages('woocommerce', {
      shop: 'keyless.example', credentials: '{}', settings: '{}', range: { from: 0, to: 1, by: 'created' }, cursor: null, signal: new AbortController().signal,
    });
    const failure = await pages.next().then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(JobFailure);
    expect((failure as Error).message).toMatch(/no REST API keys/);
  });
});
