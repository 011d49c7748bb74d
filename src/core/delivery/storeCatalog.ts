import { createLocalStore } from '../localStore/localStore.ts';
import type { Db } from '../state/sqlPort.ts';
import type { StoreDefinition } from './destination.ts';

/** The store kinds this build can deliver to, by kind. */
export class StoreCatalog {
  private readonly byKind = new Map<string, StoreDefinition>();

  constructor(stores: readonly StoreDefinition[]) {
    for (const s of stores) this.byKind.set(s.kind, s);
  }

  get(kind: string): StoreDefinition | undefined {
    return this.byKind.get(kind);
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }
}

/**
 * Every store kind a destination can name: the embedded local store, then the outside stores the runtime
 * hands in (connectors/registry.ts's STORES; the core imports no connector).
 */
export function createStoreCatalog(db: Db, outside: readonly StoreDefinition[]): StoreCatalog {
  return new StoreCatalog([createLocalStore(db), ...outside]);
}
