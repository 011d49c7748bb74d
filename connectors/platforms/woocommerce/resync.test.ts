import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResyncPage } from '../../../src/core/resync/source.ts';
import { wooResyncSource } from './resync.ts';
import { startWooSimulator, type RunningWooSimulator } from './simulator/index.ts';

// Orders moved to the trash while a resync reads the shop move later pages back: every order still listed is read
// once (none skipped, none twice), and those trashed come in the trash phase as deletions.

describe('a WooCommerce resync while orders go to the trash', () => {
  let woo: RunningWooSimulator;
  const ids: number[] = [];
  beforeAll(async () => {
    woo = await startWooSimulator({ consumerKey: 'ck_r', consumerSecret: 'cs_r', storeCurrency: 'EUR' });
    for (let i = 0; i < 250; i++) {
      const o = await woo.createOrder({ set_paid: true, billing: { email: `kund${i}@example.com` }, line_items: [{ name: 'Kaffe', product_id: 7, quantity: 1, price: '49.00' }] });
      ids.push(o.id as number);
    }
  });
  afterAll(() => woo.close());

  it('reads every order left once, and the trashed ones as deletions', async () => {
    const source = wooResyncSource({ pagesInFlight: 1, perPage: 50 });
    const pages = source.pages({
      shop: new URL(woo.url).host, credentials: JSON.stringify({ consumerKey: 'ck_r', consumerSecret: 'cs_r' }),
      settings: JSON.stringify({ url: woo.url, storeCurrency: 'EUR' }), range: { from: 0, to: 8.64e15, by: 'created' },
      cursor: null, signal: new AbortController().signal,
    });
    const read: ResyncPage[] = [];
    // After the second page, 60 orders of the first two pages go to the trash: the later pages move back by two.
    const trashed = ids.slice(20, 80);
    for (let next = await pages.next(); !next.done; next = await pages.next()) {
      read.push(next.value);
      if (read.length === 2) for (const id of trashed) await woo.deleteOrder(id);
    }
    const listed = read.flatMap((p) => p.orders).filter((o) => o.status !== 'deleted').map((o) => Number(o.source.orderId));
    const deleted = read.flatMap((p) => p.orders).filter((o) => o.status === 'deleted').map((o) => Number(o.source.orderId));
    // Every order once, in id order: the 100 read before the trashing, and the 150 after it (pages moved back by two).
    expect(listed).toEqual(ids);
    expect(deleted.sort((a, b) => a - b)).toEqual(trashed);
  });
});
