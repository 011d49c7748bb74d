// The floor under a durable webhook, with none of orderbridge's code: the least any receiver must do before it may
// answer 200 to a signed Shopify webhook and never lose it — Hono reads the body, the HMAC is checked in constant
// time, the JSON parsed, the order serialised and deflated (a stored copy), and a group commit (webhooks of 1 ms
// share a transaction: a receipt row and an order row each) whose WAL is fdatasynced before the answers, checkpoints
// on a thread of their own. FLOOR_FILL=<n> first stores n orders (rows of the packed size) so the trees are deep.
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fdatasync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';

const path = process.env.DATABASE_PATH!;
const secret = process.env.SHOPIFY_API_SECRET!;
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.exec(`CREATE TABLE IF NOT EXISTS receipts (id TEXT PRIMARY KEY, shop TEXT NOT NULL, received_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS orders (key TEXT PRIMARY KEY, packed BLOB NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID`);
const fill = Number(process.env.FLOOR_FILL ?? 0);
if (fill > 0) {
  const blob = Buffer.alloc(490, 7);
  db.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
    INSERT OR IGNORE INTO orders SELECT 'shopify:other.myshopify.com:' || (6400000000000 + i), ?, i FROM n`).run(fill, blob);
  db.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
    INSERT OR IGNORE INTO receipts SELECT lower(hex(randomblob(16))), 'other', i FROM n`).run(fill);
  db.pragma('wal_checkpoint(TRUNCATE)');
}
const insertReceipt = db.prepare('INSERT OR IGNORE INTO receipts VALUES (?, ?, ?)');
const upsertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET packed = excluded.packed, updated_at = excluded.updated_at');
const walFd = openSync(`${path}-wal`, 'r');
const checkpointer = new Worker(`const Database = require(${JSON.stringify(import.meta.resolve('better-sqlite3').replace(/^file:\/\//, ''))});
  const db = new Database(${JSON.stringify(path)}); setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, 20);`, { eval: true });
checkpointer.unref();

interface Waiting { receipt: string; shop: string; key: string; packed: Buffer; answer(): void }
let waiting: Waiting[] = [];
const commit = db.transaction((batch: Waiting[]) => {
  const now = Date.now();
  for (const w of batch) {
    insertReceipt.run(w.receipt, w.shop, now);
    upsertOrder.run(w.key, w.packed, now);
  }
});
const flush = () => {
  const batch = waiting;
  waiting = [];
  commit.immediate(batch);
  fdatasync(walFd, () => batch.forEach((w) => w.answer()));
};

const app = new Hono();
app.post('/webhooks/shopify', async (c) => {
  const bytes = Buffer.from(await c.req.arrayBuffer());
  const signature = Buffer.from(c.req.header('x-shopify-hmac-sha256') ?? '', 'base64');
  const expected = createHmac('sha256', secret).update(bytes).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return c.json({ error: 'invalid_signature' }, 401);
  const order = JSON.parse(bytes.toString('utf8')) as { id: number };
  const shop = c.req.header('x-shopify-shop-domain')!;
  const packed = deflateRawSync(JSON.stringify(order));
  await new Promise<void>((answer) => {
    if (waiting.length === 0) setTimeout(flush, 1);
    waiting.push({ receipt: `${shop}:${c.req.header('x-shopify-webhook-id')}`, shop, key: `shopify:${shop}:${order.id}`, packed, answer });
  });
  return c.json({ outcome: 'accepted' });
});
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
process.on('SIGTERM', () => server.close(() => {
  void checkpointer.terminate();
  closeSync(walFd);
  db.close();
  process.exit(0);
}));
