// The one registry: every outside system orderbridge knows, one line each. Routes, the delivery engine, the
// preparation threads, `orderbridge simulate`, the benchmarks and the store test matrix read it (connectors/registry.ts).
// Add a store: its folder under stores/ (index.ts exports its manifest), its mapping under ../mappings/stores/, its line here.
export { shopifyPlatform } from './platforms/shopify/index.ts';
export { woocommercePlatform } from './platforms/woocommerce/index.ts';
export { engageStore } from './stores/engage/index.ts';
export { voyadoStore } from './stores/voyado/index.ts';
export { expertsenderStore } from './stores/expertsender/index.ts';
export { esputnikOrdersStore, esputnikEventsStore } from './stores/esputnik/index.ts';
