// Two connections to one file, as a receive-only process and the delivering one: what one registers or
// changes, the other's cached registry sees within moments, never only after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { openDatabase } from '../../node/database.ts';
import { ShopRegistry } from './registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'ob-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shop registry shared between processes', () => {
  it("sees shops and destinations another connection registered or changed, once it has committed", async () => {
    const path = join(dir, 'shared.db');
    const receiving = openDatabase(path);
    const delivering = openDatabase(path);
    const here = new ShopRegistry(delivering.db, systemClock);
    const there = new ShopRegistry(receiving.db, systemClock);
    expect(here.allEnabledDestinations()).toEqual([]); // cached empty

    there.ensure('shopify', 'demo-shop.myshopify.com');
    await sleep(60);
    expect(here.allEnabledDestinations().map((d) => d.id)).toEqual(['shopify:demo-shop.myshopify.com:local']);
    expect(here.get('shopify:demo-shop.myshopify.com')?.domain).toBe('demo-shop.myshopify.com');

    there.upsertDestination({
      id: 'shopify:demo-shop.myshopify.com:engage', shopId: 'shopify:demo-shop.myshopify.com', kind: 'engage', settings: '{}', secretSealed: null, enabled: true,
    });
    there.update('shopify:demo-shop.myshopify.com', { settings: '{"storeCurrency":"EUR"}' });
    await sleep(60);
    expect(here.enabledDestinationsOf('shopify:demo-shop.myshopify.com').map((d) => d.kind).sort()).toEqual(['engage', 'local']);
    expect(here.get('shopify:demo-shop.myshopify.com')?.settings).toBe('{"storeCurrency":"EUR"}');

    there.removeDestination('shopify:demo-shop.myshopify.com', 'shopify:demo-shop.myshopify.com:engage');
    await sleep(60);
    expect(here.allEnabledDestinations().map((d) => d.kind)).toEqual(['local']);
    receiving.close();
    delivering.close();
  });
});
