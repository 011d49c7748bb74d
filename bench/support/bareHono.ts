// The yardstick: a bare Hono server on node that only reads the body and answers 200.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/webhooks/shopify', async (c) => {
  await c.req.text();
  return c.json({ ok: true });
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
