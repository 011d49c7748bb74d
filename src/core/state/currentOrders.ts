import type { SqlPort } from './sqlPort.ts';
import { unpackOrder } from './packedOrder.ts';

// Outbox order rows carry no copy: whoever sends one reads the newest version here, one statement per batch.
const CURRENT_ORDERS = 'SELECT key, canonical FROM orders WHERE key IN (SELECT value FROM json_each(?))';

export type CurrentOrders = (keys: readonly string[]) => Map<string, string>;

/** The newest stored canonical JSON of each order key, unpacked (absent when the order is gone, e.g. shop/redact). */
export function currentOrdersOf(sqlite: SqlPort): CurrentOrders {
  const statement = sqlite.prepare(CURRENT_ORDERS).raw(true);
  return (keys) => {
    const found = new Map<string, string>();
    if (keys.length === 0) return found;
    for (const [key, packed] of statement.all(JSON.stringify(keys)) as Array<[string, Buffer]>) found.set(key, unpackOrder(packed));
    return found;
  };
}

/** The newest stored canonical JSON of one order, unpacked; null when the order is gone. */
export function currentOrderOf(sqlite: SqlPort): (key: string) => string | null {
  const statement = sqlite.prepare('SELECT canonical FROM orders WHERE key = ?').pluck();
  return (key) => {
    const packed = statement.get(key) as Buffer | undefined;
    return packed ? unpackOrder(packed) : null;
  };
}
