// A store URL that answers with a redirect (moved host, http → https) is the destination's fault, not the
// orders': every store retries the batch whole rather than splitting it into dead letters.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdOrder } from '../mappings/stores/expertsender/fixtures.ts';
import { expertsenderStore } from '../connectors/stores/expertsender/index.ts';
import { deliveryContext, deliveryItem } from '../connectors/stores/expertsender/testSupport.ts';
import { esputnikOrdersSettings, esputnikOrdersStore } from '../connectors/stores/esputnik/index.ts';
import { contextFor, itemFor } from '../connectors/stores/esputnik/testSupport.ts';
import { classifyStatus } from '../src/core/delivery/destination.ts';
import type { Order } from '../src/core/canonical/index.ts';

let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(301, { location: 'https://elsewhere.example/' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const orders = (n: number): Order[] => Array.from({ length: n }, (_, i) => usdOrder({
  key: `shopify:demo.myshopify.com:${5000 + i}`,
  source: { platform: 'shopify', shop: 'demo.myshopify.com', orderId: String(5000 + i), orderNumber: `#${5000 + i}` },
}));

describe('a store answering with a redirect', () => {
  it('is classified retry, for every 3xx', () => {
    for (const status of [301, 302, 307, 308]) expect(classifyStatus(status)).toBe('retry');
    expect(classifyStatus(400)).toBe('rejected');
  });

  it('ExpertSender: the batch is retried in one request, not split into dead letters', async () => {
    requests.length = 0;
    const items = orders(4).map((o) => deliveryItem(o, ['order.created']));
    const outcomes = await expertsenderStore.deliver(items, deliveryContext(base, 'key', { batchSize: 100 }));
    expect(outcomes).toEqual(items.map(() => ({ outcome: 'retry', error: expect.stringContaining('ExpertSender 301') })));
    expect(requests).toEqual(['POST /orders']);
  });

  it('eSputnik orders: the batch is retried, no order is rejected', async () => {
    requests.length = 0;
    const items = orders(4).map((o) => itemFor(o, ['order.created']));
    const outcomes = await esputnikOrdersStore.deliver(items, contextFor(esputnikOrdersSettings, { baseUrl: base }, 'key'));
    expect(outcomes).toEqual(items.map(() => ({ outcome: 'retry', error: expect.stringContaining('301') })));
    expect(requests).toHaveLength(1);
  });
});
