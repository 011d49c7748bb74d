// The least a receiver does that may answer 200 to a signed Shopify webhook and never lose it, none of our code, with
// the disk habits orderbridge has: HMAC, JSON.parse, a copy deflated against a sample order (as ours packs against a
// dictionary), a group commit of 1 ms (a receipt row, an order row), up to three WAL fdatasyncs in flight (one ending
// answers the batches before it), the WAL restarted at 4,096 frames, PASSIVE checkpoints on a thread. FLOOR_FILL=<n>
// first stores n orders so the trees are deep. FLOOR_MINIMAL=1: not even that — the body stored as it came, unparsed.
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fdatasync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import { benchOrderTemplate } from './shopifyLoad.ts';

const path = process.env.DATABASE_PATH!;
const secret = process.env.SHOPIFY_API_SECRET!;
const minimal = process.env.FLOOR_MINIMAL === '1';
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
const dictionary = Buffer.from(benchOrderTemplate());

// Checkpoints on a thread; at 4,096 frames the commits wait while a last round empties the WAL, so it starts over.
const checkpointer = new Worker(`const { parentPort } = require('node:worker_threads');
  const Database = require(${JSON.stringify(import.meta.resolve('better-sqlite3').replace(/^file:\/\//, ''))});
  const db = new Database(${JSON.stringify(path)});
  const round = () => { try { return db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch { return null; } };
  setInterval(() => { const r = round(); if (r) parentPort.postMessage({ kind: 'round', ...r }); }, 20);
  parentPort.on('message', () => parentPort.postMessage({ kind: 'final', ...round() }));`, { eval: true });
checkpointer.unref();
let held = false;
const release = () => {
  held = false;
  if (waiting.length > 0) flush();
};
checkpointer.on('exit', release);
checkpointer.on('message', (r: { kind: string; log: number; checkpointed: number }) => {
  // A WAL fully copied starts over at the next commit by itself: only one the rounds cannot catch up with is held.
  if (r.kind === 'round' && r.log >= 4_096 && r.checkpointed < r.log && !held) {
    held = true;
    checkpointer.postMessage('final');
  } else if (r.kind === 'final' && held) release();
});

interface Waiting { receipt: string; shop: string; key: string; packed: Buffer; answer(durable: boolean): void }
let waiting: Waiting[] = [];
const commit = db.transaction((batch: Waiting[]) => {
  const now = Date.now();
  for (const w of batch) {
    insertReceipt.run(w.receipt, w.shop, now);
    upsertOrder.run(w.key, w.packed, now);
  }
});
// Committed batches not yet covered by a sync, and the syncs running (each with the batches it covers), oldest first.
let unsynced: Waiting[][] = [];
const syncing: Waiting[][][] = [];
const sync = () => {
  if (unsynced.length === 0 || syncing.length >= 3) return;
  const covered = unsynced;
  unsynced = [];
  syncing.push(covered);
  fdatasync(walFd, (error) => {
    const at = syncing.indexOf(covered);
    // Not on disk: answered 503 (the sender retries), never 200.
    for (const earlier of syncing.splice(0, at + 1)) for (const batch of earlier) for (const w of batch) w.answer(error === null);
    sync();
  });
};
const flush = () => {
  if (held) return; // the checkpointer's last round: the next flush comes when it is done
  const batch = waiting;
  waiting = [];
  commit.immediate(batch);
  unsynced.push(batch);
  sync();
};

const app = new Hono();
app.post('/webhooks/shopify', async (c) => {
  const bytes = Buffer.from(await c.req.arrayBuffer());
  const signature = Buffer.from(c.req.header('x-shopify-hmac-sha256') ?? '', 'base64');
  const expected = createHmac('sha256', secret).update(bytes).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return c.json({ error: 'invalid_signature' }, 401);
  const shop = c.req.header('x-shopify-shop-domain')!;
  const webhookId = c.req.header('x-shopify-webhook-id');
  let key = `shopify:${shop}:${webhookId}`;
  let packed = bytes;
  if (!minimal) {
    const order = JSON.parse(bytes.toString('utf8')) as { id: number };
    key = `shopify:${shop}:${order.id}`;
    packed = deflateRawSync(JSON.stringify(order), { dictionary });
  }
  const durable = await new Promise<boolean>((answer) => {
    if (waiting.length === 0) setTimeout(flush, 1);
    waiting.push({ receipt: `${shop}:${webhookId}`, shop, key, packed, answer });
  });
  return durable ? c.json({ outcome: 'accepted' }) : c.json({ error: 'not_durable' }, 503);
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
