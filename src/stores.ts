import { engageStore } from '../connectors/stores/engage/deliver.ts';
import { esputnikEventsStore, esputnikOrdersStore } from '../connectors/stores/esputnik/index.ts';
import { expertsenderStore } from '../connectors/stores/expertsender/deliver.ts';
import { voyadoStore } from '../connectors/stores/voyado/deliver.ts';
import { StoreCatalog } from './core/delivery/storeCatalog.ts';
import { createLocalStore } from './core/localStore/localStore.ts';
import type { Db } from './core/state/sqlPort.ts';

/** Every store kind a destination can name. Add a store: import its folder's definition here. */
export function createStoreCatalog(db: Db): StoreCatalog {
  return new StoreCatalog([createLocalStore(db), engageStore, expertsenderStore, esputnikOrdersStore, esputnikEventsStore, voyadoStore]);
}
