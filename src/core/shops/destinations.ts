// One owner for what a destination may be: input (the admin API's body, DESTINATION_*) becomes a row checked
// against its store's settings schema here, and the delivery engine reads a row's settings back through the same.
import type { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { StoreDefinition } from '../delivery/destination.ts';
import type { OutboxQueue } from '../delivery/outboxQueue.ts';
import type { StoreCatalog } from '../delivery/storeCatalog.ts';
import { issuesLine } from '../schemaIssues.ts';
import type { SecretBox } from '../state/secretBox.ts';
import {
  destinationChange, destinationId, LOCAL_STORE_KIND, type DestinationRow, type EnvironmentDestination, type ShopRegistry,
} from './registry.ts';

/** A store's settings as its schema reads them (defaults filled in), or what the schema refused. */
export function readStoreSettings(store: StoreDefinition, given: unknown): { ok: true; settings: unknown } | { ok: false; error: z.ZodError } {
  const read = store.settingsSchema.safeParse(given);
  return read.success ? { ok: true, settings: read.data } : { ok: false, error: read.error };
}

/** A stored row's settings, as the delivery engine reads them before each destination's first batch. */
export function rowSettings(store: StoreDefinition, row: DestinationRow): { ok: true; settings: unknown } | { ok: false; message: string } {
  const read = readStoreSettings(store, JSON.parse(row.settings));
  return read.ok ? read : { ok: false, message: `destination ${row.id} has invalid settings: ${issuesLine(read.error)}` };
}

/** What the admin API is asked for a destination of a shop; a field left out keeps its value (same store). */
export interface DestinationInput {
  /** The short id (default: the store kind) or the full one. */
  id?: string;
  kind: string;
  settings?: unknown;
  secret?: string;
  enabled?: boolean;
  /** Request-rate ceiling; null for the store's default, 0 for none. */
  requestsPerSecond?: number | null;
}

export type DestinationRefusal = {
  error: 'unknown_store' | 'configured_by_environment' | 'invalid_settings' | 'missing_secret';
  message: string;
};

/** DESTINATION_* as the runtime read them from its environment. */
export interface EnvironmentInput {
  kind?: string;
  /** JSON text. */
  settings: string;
  secret?: string;
  requestsPerSecond?: number;
}

export class Destinations {
  constructor(private readonly deps: { shops: ShopRegistry; outbox: OutboxQueue; stores: StoreCatalog; secrets: SecretBox; clock: Clock }) {}

  /**
   * Adds or changes a destination of a shop. What is left out stays as it is, but only for the same store: one
   * store's key must never go to another. A destination whose stored settings no longer read may be paused as it is.
   */
  async put(shopId: string, input: DestinationInput): Promise<{ row: DestinationRow; created: boolean } | DestinationRefusal> {
    const { shops, stores, secrets, outbox, clock } = this.deps;
    const store = stores.get(input.kind);
    if (!store) return { error: 'unknown_store', message: `unknown store kind ${input.kind}; known: ${stores.kinds().join(', ')}` };
    const id = destinationId(shopId, input.id ?? input.kind);
    const fromEnvironment = shops.environmentKindOf(id);
    if (fromEnvironment) {
      return {
        error: 'configured_by_environment',
        message: `${id} comes from DESTINATION_KIND=${fromEnvironment}; change DESTINATION_SETTINGS / DESTINATION_SECRET (and restart), or give this one another id`,
      };
    }
    const existing = shops.destination(id);
    const same = existing?.kind === input.kind ? existing : undefined;
    const read = readStoreSettings(store, input.settings ?? (same ? JSON.parse(same.settings) as unknown : {}));
    // Pausing a destination whose stored settings no longer read needs no settings: they stay as they are, to fix later.
    const pausesAsIs = !read.ok && same !== undefined && input.settings === undefined && input.enabled === false;
    if (!read.ok && !pausesAsIs) {
      return { error: 'invalid_settings', message: issuesLine(read.error, (path) => ['settings', ...path].join('.')) };
    }
    const kept = same?.secretSealed ?? null;
    if (store.requiresSecret && !input.secret && !kept) {
      return { error: 'missing_secret', message: `${store.title} needs its API key or token as "secret"` };
    }
    const row = shops.upsertDestination({
      id, shopId, kind: input.kind,
      settings: read.ok ? JSON.stringify(read.settings) : same!.settings,
      secretSealed: input.secret ? await secrets.seal(input.secret) : kept,
      enabled: input.enabled ?? same?.enabled ?? true,
      requestsPerSecond: input.requestsPerSecond !== undefined ? input.requestsPerSecond : same?.requestsPerSecond ?? null,
    });
    // A fixed key or URL does not wait out the back-off of the broken one.
    outbox.afterDestinationChange(id, destinationChange(existing, row), clock.now());
    return { row, created: existing === undefined };
  }

  /**
   * DESTINATION_*: checked as a destination the API is given is, then written into every shop (or, without
   * DESTINATION_KIND, the database's followed). Throws a sentence naming the setting when it does not read.
   */
  async useEnvironment(env: EnvironmentInput): Promise<void> {
    const { shops, outbox, clock } = this.deps;
    const held = new Map(shops.list().flatMap((shop) => shops.destinationsOf(shop.id)).map((d) => [d.id, d]));
    const given = await this.environmentDestinations(env, [...held.values()]);
    for (const id of shops.useEnvironmentDestinations(given)) {
      // Fixed in the environment (a key, a URL) — not merely restarted: a crash loop must not hammer a store.
      outbox.afterDestinationChange(id, destinationChange(held.get(id), shops.destination(id)), clock.now());
    }
  }

  private async environmentDestinations(env: EnvironmentInput, held: DestinationRow[]): Promise<EnvironmentDestination[]> {
    const { stores } = this.deps;
    if (!env.kind) return [];
    const store = stores.get(env.kind);
    if (!store) throw new Error(`DESTINATION_KIND=${env.kind} is not a store kind; known: ${stores.kinds().join(', ')}`);
    if (store.kind === LOCAL_STORE_KIND) throw new Error('DESTINATION_KIND=local: every shop has the local store already; name an outside store');
    let given: unknown;
    try {
      given = JSON.parse(env.settings);
    } catch {
      throw new Error('DESTINATION_SETTINGS is not JSON');
    }
    const read = readStoreSettings(store, given);
    if (!read.ok) throw new Error(`DESTINATION_SETTINGS: ${issuesLine(read.error)}`);
    if (store.requiresSecret && !env.secret) throw new Error(`DESTINATION_SECRET is not set: ${store.title} needs its API key or token`);
    return [{
      kind: store.kind, settings: JSON.stringify(read.settings),
      secretSealed: env.secret ? await this.sealedAsBefore(env.secret, store.kind, held) : null,
      requestsPerSecond: env.requestsPerSecond ?? null,
    }];
  }

  /** The key sealed as a stored destination of the kind already holds it (each seal differs: an unchanged key must read unchanged). */
  private async sealedAsBefore(secret: string, kind: string, held: DestinationRow[]): Promise<string> {
    const { secrets } = this.deps;
    for (const d of held) {
      if (d.kind === kind && d.secretSealed && (await secrets.open(d.secretSealed).catch(() => null)) === secret) return d.secretSealed;
    }
    return secrets.seal(secret);
  }
}
