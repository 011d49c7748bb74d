// What the resync tests share: an orderbridge process's admin API, a resync followed to its end, and what the
// local store holds of a shop, read from the database file beside the server.
import Database from 'better-sqlite3';
import { unpackOrder } from '../../src/core/state/packedOrder.ts';
import type { OrderbridgeProcess } from './orderbridgeProcess.ts';
import { eventually } from './shopifySender.ts';

export const RESYNC_TOKEN = 'resync-token';

export async function api(ob: OrderbridgeProcess, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const send = () => fetch(`${ob.url}/api${path}`, {
    method, headers: { authorization: `Bearer ${RESYNC_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // A kept-alive socket the server closed just as it was reused (the request never reached it): sent again once.
  const res = await send().catch((error: unknown) => {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return send();
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** Starts a resync and waits for it to end; the job as GET /api/resync/:id shows it then. */
export async function resync(ob: OrderbridgeProcess, shopId: string, body: Record<string, unknown>, timeoutMs = 60_000): Promise<Record<string, any>> {
  const started = await api(ob, 'POST', `/shops/${encodeURIComponent(shopId)}/resync`, body);
  if (started.status !== 202) throw new Error(`resync refused: ${started.status} ${JSON.stringify(started.json)}`);
  return finished(ob, started.json.id as number, timeoutMs);
}

export function finished(ob: OrderbridgeProcess, id: number, timeoutMs = 60_000): Promise<Record<string, any>> {
  return eventually(async () => {
    const { json } = await api(ob, 'GET', `/resync/${id}`);
    return ['done', 'failed', 'cancelled'].includes(json.state) ? json : undefined;
  }, timeoutMs, `resync ${id} to end`);
}

export interface LocalRow { key: string; deliveries: number; sourceUpdatedAt: number }

/** The local store's orders of a shop, and the outbox rows still waiting for it. */
export function localStore(path: string, shopId: string): { rows: LocalRow[]; waiting: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT key, deliveries, source_updated_at AS sourceUpdatedAt FROM local_orders WHERE shop_id = ? ORDER BY key').all(shopId) as LocalRow[];
    const waiting = db.prepare("SELECT count(*) FROM outbox WHERE destination_id = ? || ':local'").pluck().get(shopId) as number;
    return { rows, waiting };
  } finally {
    db.close();
  }
}

/** Waits until the local store holds `count` orders of the shop and nothing waits for it. */
export function delivered(ob: OrderbridgeProcess, shopId: string, count: number, timeoutMs = 60_000): Promise<LocalRow[]> {
  return eventually(async () => {
    const { rows, waiting } = localStore(ob.databasePath, shopId);
    return rows.length === count && waiting === 0 ? rows : undefined;
  }, timeoutMs, `${count} orders of ${shopId} in the local store`);
}

/** The canonical orders orderbridge holds for a shop (the version the local store reads), by key. */
export function heldOrders(path: string, shopId: string): Map<string, Record<string, unknown>> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT key, canonical FROM orders WHERE shop_id = ?').all(shopId) as Array<{ key: string; canonical: Buffer }>;
    return new Map(rows.map((r) => [r.key, JSON.parse(unpackOrder(r.canonical)) as Record<string, unknown>]));
  } finally {
    db.close();
  }
}
