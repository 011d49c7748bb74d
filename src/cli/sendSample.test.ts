// send-sample's orders are dated relative to now, so the README's hand-try keeps delivering as years pass.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGAGE_STATUSES, mapOrderToEngage } from '../../mappings/stores/engage/index.ts';
import { mapShopifyOrder } from '../../mappings/platforms/shopify/index.ts';
import { parseJsonLossless, type Order } from '../core/canonical/index.ts';
import { datedNow, DELIVERED_SAMPLES, REFUSED_SAMPLE } from './sendSample.ts';

const sample = (name: string) => readFileSync(new URL(`../../test/fixtures/shopify/${name}`, import.meta.url), 'utf8');
const order = (body: string): Order => mapShopifyOrder(parseJsonLossless(body), 'my-shop.myshopify.com');
const engage = (o: Order, now: number) => mapOrderToEngage(o, {
  events: ['order.created'], origin: 'webhook', now, maxOrderAgeDays: 730, sendTestOrders: false, statuses: DEFAULT_ENGAGE_STATUSES,
});

describe('datedNow', () => {
  // Years after the fixtures were written: as they are, Engage would refuse every one of them as too old.
  const now = Date.UTC(2040, 6, 1, 12);

  it.each(DELIVERED_SAMPLES)('%s: its latest change a minute ago, its own history kept, and Engage takes it', (name) => {
    const before = order(sample(name));
    expect(engage(before, now)).toMatchObject({ kind: 'reject', reason: expect.stringContaining('Engage takes orders from the last 730 days only') });

    const after = order(datedNow(sample(name), now));
    expect(Date.parse(after.updatedAt)).toBe(now - 60_000);
    expect(Date.parse(after.updatedAt) - Date.parse(after.createdAt)).toBe(Date.parse(before.updatedAt) - Date.parse(before.createdAt));
    expect(after.refunds.map((r) => Date.parse(r.createdAt) - Date.parse(after.createdAt)))
      .toEqual(before.refunds.map((r) => Date.parse(r.createdAt) - Date.parse(before.createdAt)));
    // Only the dates moved: ids beyond 2^53, money and the rest are as written.
    expect({ ...after, createdAt: null, updatedAt: null, completedAt: null, cancelledAt: null, refunds: null })
      .toEqual({ ...before, createdAt: null, updatedAt: null, completedAt: null, cancelledAt: null, refunds: null });
    expect(engage(after, now).kind).toBe('send');
  });

  it('the refused sample is refused for its missing city, not for its age', () => {
    expect(engage(order(datedNow(sample(REFUSED_SAMPLE), now)), now))
      .toEqual({ kind: 'reject', reason: 'no billing or shipping city: Engage requires city' });
  });
});
