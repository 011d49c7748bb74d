// The two eSputnik order stores; they share the client and auth, and split at the API seam.
export { esputnikOrdersStore, esputnikOrdersSettings, type EsputnikOrdersSettings } from './orders-destination.ts';
export { esputnikEventsStore, esputnikEventsSettings, type EsputnikEventsSettings } from './events-destination.ts';
export { ESPUTNIK_BASE_URL } from './settings.ts';
