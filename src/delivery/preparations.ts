// The stores whose preparation may run off the event loop, by kind. Imported by the preparation
// worker: keep it to pure mapping code (no database, no network).
import { prepareEngageBatch } from '../../connectors/engage/prepare.ts';
import { prepareEsputnikOrdersBatch } from '../../connectors/esputnik/prepare.ts';
import { prepareExpertSenderBatch } from '../../connectors/expertsender/prepare.ts';
import type { PrepareBatch } from './preparation.ts';

export const PREPARATIONS: Record<string, PrepareBatch> = {
  engage: prepareEngageBatch as PrepareBatch,
  expertsender: prepareExpertSenderBatch as PrepareBatch,
  'esputnik-orders': prepareEsputnikOrdersBatch as PrepareBatch,
};
