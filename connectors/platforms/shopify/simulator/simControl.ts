import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { BulkOperations } from './bulk.ts';
import type { OrderChange } from './changes.ts';
import type { ShopifySimulator } from './simulator.ts';

// The simulator's own loopback routes, outside Shopify's API: bulk result files (their URL is the
// unguessable part, as a signed storage URL is) and an unauthenticated control API for
// `orderbridge simulate shopify` and tests in other processes.

type Sim = Omit<ShopifySimulator, 'app' | 'dispose'>;

export function simControlRoutes(sim: Sim, bulk: BulkOperations): Hono {
  const r = new Hono();
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const webhookJson = (id: string) => new Response(sim.webhookBody(id), { headers: { 'content-type': 'application/json' } });
  r.onError((err) => json({ error: err.message }, 400));

  // The JSONL of a completed bulk operation; `Range: bytes=N-` resumes a download from byte N.
  r.get('/bulk/:file', (c) => {
    const token = c.req.param('file').replace(/\.jsonl$/, '');
    const op = bulk.byToken(token);
    if (!op || op.status !== 'COMPLETED') return json({ error: 'no such file' }, 404);
    const size = statSync(op.file).size;
    const range = /^bytes=(\d+)-(\d*)$/.exec(c.req.header('range') ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (range && start >= size) return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
    const stream = Readable.toWeb(createReadStream(op.file, { start, end })) as ReadableStream;
    const headers: Record<string, string> = { 'content-type': 'application/jsonl', 'content-length': String(end - start + 1), 'accept-ranges': 'bytes' };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    return new Response(stream, { status: range ? 206 : 200, headers });
  });

  r.get('/orders/:id', (c) => webhookJson(c.req.param('id')));
  // Places a new order now; {"notify": true} also sends orders/create to the subscriptions.
  r.post('/orders', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { notify?: boolean };
    const o = sim.addOrder();
    if (body.notify) await sim.notify('orders/create', o.id);
    return webhookJson(o.id);
  });
  // Changes an order (see OrderChange); {"notify": "orders/updated"} also sends that topic to the subscriptions.
  r.post('/orders/:id/change', async (c) => {
    const body = (await c.req.json()) as OrderChange & { notify?: string };
    const { notify, ...change } = body;
    const o = sim.changeOrder(c.req.param('id'), change);
    if (notify) await sim.notify(notify, o.id);
    return webhookJson(o.id);
  });
  // Sends the order, signed, to a URL of your choice: {"url": "...", "topic": "orders/updated"}.
  r.post('/orders/:id/webhook', async (c) => {
    const body = (await c.req.json()) as { url: string; topic?: string };
    const d = await sim.sendWebhook(body.url, body.topic ?? 'orders/updated', c.req.param('id'));
    return json({ status: d.status, error: d.error, webhookId: d.webhookId });
  });
  r.get('/stats', () => json({ ...sim.stats, throttleStatus: sim.bucket().status() }));
  // {"currentlyAvailable": 0} empties the bucket; restoreRate / maximumAvailable change the plan.
  r.post('/bucket', async (c) => {
    sim.bucket().set(await c.req.json());
    return json(sim.bucket().status());
  });
  r.get('/subscriptions', () => json(sim.subscriptions));
  r.post('/uninstall', async () => json(await sim.uninstallApp()));
  r.get('/deliveries', () => json(sim.deliveries.map(({ body, ...d }) => ({ ...d, bytes: body.length }))));
  return r;
}
