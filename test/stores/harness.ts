// In-process orderbridge for store tests: a real SQLite file, the real SyncWriter, outbox and DeliveryEngine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventType, Order } from '../../src/core/canonical/index.ts';
import { systemClock } from '../../src/core/clock.ts';
import { DeliveryEngine, type DeliveryOptions } from '../../src/core/delivery/engine.ts';
import type { StoreFetch } from '../../src/core/delivery/storeHttp.ts';
import type { IngestResult } from '../../src/core/pipeline/change.ts';
import { tombstone } from '../../src/core/pipeline/tombstone.ts';
import { openDatabase, type OpenDatabase } from '../../src/node/database.ts';
import { SecretBox } from '../../src/core/state/secretBox.ts';
import { createStorage, type Storage } from '../../src/core/storage.ts';
import { STORES } from '../../connectors/registry.ts';
import { createStoreCatalog, type StoreCatalog } from '../../src/core/delivery/storeCatalog.ts';
import { makeOrder } from '../support/canonicalOrder.ts';

export const SHOP_DOMAIN = 'demo-shop.myshopify.com';
export const SHOP = `shopify:${SHOP_DOMAIN}`;

/** Small back-off so fault tests finish in seconds. */
export const FAST_BACKOFF = { baseMs: 5, maxMs: 50, maxAttempts: 1_000 };

export interface Harness {
  dir: string;
  database: OpenDatabase;
  storage: Storage;
  secrets: SecretBox;
  /** Adds (or replaces) a destination of the shop; returns its id. `requestsPerSecond` 0 lifts the store's pace (fault tests). */
  addDestination(kind: string, settings: Record<string, unknown>, secret: string, opts?: { requestsPerSecond?: number }): Promise<string>;
  /** The delivery engine over this file; `stores` replaces the registry's (a store with another batch size, a test's own store). */
  engine(opts: { fetch?: StoreFetch; options?: Partial<DeliveryOptions>; stores?: StoreCatalog }): DeliveryEngine;
  /** Applies changes in one transaction, as the ingest queue's group commit does. */
  apply(changes: Array<Parameters<Storage['writer']['apply']>[1]>): IngestResult[];
  close(): void;
}

export async function createHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ob-stores-'));
  const database = openDatabase(join(dir, 'orderbridge.db'));
  const storage = createStorage(database, systemClock);
  const secrets = await SecretBox.fromPassphrase('store-tests-key');
  const stores = createStoreCatalog(database.db, STORES);
  storage.shops.ensure('shopify', SHOP_DOMAIN);
  // The embedded local store is every shop's first destination; these tests look at one outside store at a time.
  storage.shops.removeDestination(SHOP, `${SHOP}:local`);
  const engines: DeliveryEngine[] = [];
  return {
    dir, database, storage, secrets,
    async addDestination(kind, settings, secret, opts) {
      const store = stores.get(kind);
      if (!store) throw new Error(`unknown store kind ${kind}`);
      const id = `${SHOP}:${kind}`;
      storage.shops.upsertDestination({
        id, shopId: SHOP, kind, settings: JSON.stringify(store.settingsSchema.parse(settings)),
        secretSealed: await secrets.seal(secret), enabled: true, requestsPerSecond: opts?.requestsPerSecond ?? null,
      });
      return id;
    },
    engine({ fetch, options, stores: catalog }) {
      const engine = new DeliveryEngine({
        sqlite: database.sqlite, queue: storage.outbox, shops: storage.shops, stores: catalog ?? stores, secrets, clock: systemClock,
        ...(fetch ? { fetch } : {}), options: { pollMs: 10, ...options },
      });
      engines.push(engine);
      return engine;
    },
    apply(changes) {
      return database.sqlite.transaction(() => changes.map((c) => storage.writer.apply(null, c)))();
    },
    close() {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A webhook-like order change. */
export function orderChange(order: Order, events: EventType[]) {
  return { kind: 'order' as const, order, events, origin: 'webhook' as const };
}

/** A webhook-like delete (orders/delete carries little more than the id). */
export function deleteChange(orderId: string, at: string) {
  const ms = Date.parse(at);
  return { kind: 'delete' as const, orderKey: `${SHOP}:${orderId}`, at: ms, tombstone: tombstone('shopify', SHOP_DOMAIN, orderId, ms) };
}

const ADDRESS = {
  firstName: 'Anna', lastName: 'Åberg', company: null, address1: 'Drottninggatan 1', address2: null, city: 'Stockholm',
  province: null, provinceCode: null, postalCode: '111 51', country: 'SE', phone: '+46 70 000 00 00',
};

/**
 * A complete order every store accepts: billing address (Engage needs city and country), numeric
 * product ids, totals that add up. `version` is encoded in the total: (version × 1000 + 1) minor units
 * of shipping on top of the line, so a store's total tells which version it holds.
 */
export function storeOrder(id: string, version: number, overrides: Partial<Order> = {}): Order {
  const shipping = version * 1000 + 1;
  const base = makeOrder(id, {}, SHOP_DOMAIN);
  const line = { ...base.lineItems[0]!, productId: '7001', variantId: '8001', tax: 0 };
  return makeOrder(id, {
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: new Date(Date.parse('2026-11-01T10:00:00.000Z') + version * 60_000).toISOString(),
    billingAddress: ADDRESS, shippingAddress: ADDRESS,
    lineItems: [line],
    totals: { subtotal: 2000, discount: 0, shipping, fees: 0, tax: 0, total: 2000 + shipping, refunded: 0 },
    ...overrides,
  }, SHOP_DOMAIN);
}

/** The version an order total (in major units) encodes; see storeOrder. */
export function versionOfTotal(totalMajor: number): number {
  return Math.round((totalMajor * 100 - 2001) / 1000);
}
