// The two eSputnik order stores; they share the client and auth, and split at the API seam.
export { esputnikOrdersStore, esputnikOrdersSettings, type EsputnikOrdersSettings } from './orders.ts';
export { esputnikEventsStore, esputnikEventsSettings, type EsputnikEventsSettings } from './events.ts';
export { ESPUTNIK_BASE_URL } from './settings.ts';
