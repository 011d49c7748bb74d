// The worker side of webhookThread.ts: runs each window asked for and posts back its result.
import { parentPort } from 'node:worker_threads';
import { openLoop } from './openLoop.ts';
import { benchOrderTemplate, signedRequest } from './shopifyLoad.ts';
import type { WebhookWindow } from './webhookThread.ts';

const template = benchOrderTemplate();
let sequence = 0;
parentPort!.on('message', async ({ id, window: w }: { id: number; window: WebhookWindow }) => {
  const result = await openLoop(`${w.url}/webhooks/shopify`, {
    rate: w.rate, seconds: w.seconds, connections: 32, next: () => signedRequest(template, w.secret, sequence++, w.shop),
  });
  parentPort!.postMessage({ id, result });
});
