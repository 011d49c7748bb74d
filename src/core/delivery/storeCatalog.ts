import type { StoreDefinition } from './destination.ts';

/** The store kinds this build can deliver to, by kind. */
export class StoreCatalog {
  private readonly byKind = new Map<string, StoreDefinition<unknown>>();

  constructor(stores: StoreDefinition<any>[]) {
    for (const s of stores) this.byKind.set(s.kind, s as StoreDefinition<unknown>);
  }

  get(kind: string): StoreDefinition<unknown> | undefined {
    return this.byKind.get(kind);
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }
}
