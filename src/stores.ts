import { engageStore } from '../connectors/engage/destination.ts';
import { esputnikEventsStore, esputnikOrdersStore } from '../connectors/esputnik/destination.ts';
import { expertsenderStore } from '../connectors/expertsender/destination.ts';
import { voyadoStore } from '../connectors/voyado/destination.ts';
import { StoreCatalog } from './delivery/storeCatalog.ts';
import { createLocalStore } from './localStore/localStore.ts';
import type { Db } from './state/database.ts';

/** Every store kind a destination can name. Add a store: import its folder's definition here. */
export function createStoreCatalog(db: Db): StoreCatalog {
  return new StoreCatalog([createLocalStore(db), engageStore, expertsenderStore, esputnikOrdersStore, esputnikEventsStore, voyadoStore]);
}
