// Install nonces: each taken once, only for the platform it was issued for, only before it expires; a restart
// (another connection to the file) keeps the ones under way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../node/database.ts';
import { InstallNonces, INSTALL_NONCE_TTL_MS } from './installNonces.ts';

const dir = mkdtempSync(join(tmpdir(), 'ob-nonces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('install nonces', () => {
  it('are taken once, for their platform, before they expire, and outlive the connection that issued them', () => {
    const path = join(dir, 'nonces.db');
    let now = Date.UTC(2026, 0, 1);
    const clock = { now: () => now };
    const first = openDatabase(path);
    const issuing = new InstallNonces(first.db, clock);
    const shopify = issuing.issue('shopify', 'a-shop.myshopify.com');
    const woo = issuing.issue('woocommerce', 'https://shop.example');
    const stale = issuing.issue('woocommerce', 'https://old.example');
    expect(shopify).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([shopify, woo, stale]).size).toBe(3);
    first.close();

    const second = openDatabase(path); // a restart between the redirect and the callback
    const nonces = new InstallNonces(second.db, clock);
    expect(nonces.take('woocommerce', shopify)).toBeNull(); // another platform's nonce
    expect(nonces.take('shopify', shopify)).toBe('a-shop.myshopify.com');
    expect(nonces.take('shopify', shopify)).toBeNull(); // used
    expect(nonces.take('woocommerce', woo)).toBe('https://shop.example');
    expect(nonces.take('woocommerce', 'never-issued')).toBeNull();
    now += INSTALL_NONCE_TTL_MS;
    expect(nonces.take('woocommerce', stale)).toBeNull(); // expired
    // Expired ones are swept as new ones are issued.
    nonces.issue('shopify', 'b-shop.myshopify.com', 'x', 1);
    now += 1;
    nonces.issue('shopify', 'c-shop.myshopify.com');
    expect(second.sqlite.prepare('SELECT shop FROM install_nonces').pluck().all()).toEqual(['c-shop.myshopify.com']);
    second.close();
  });
});
