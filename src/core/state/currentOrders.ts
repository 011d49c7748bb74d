import type { SqlPort } from './sqlPort.ts';

// Outbox order rows carry no copy: whoever sends one reads the newest version here, one statement per batch.
const CURRENT_ORDERS = 'SELECT key, canonical FROM orders WHERE key IN (SELECT value FROM json_each(?))';

export type CurrentOrders = (keys: readonly string[]) => Map<string, string>;

/** The newest stored canonical JSON of each order key (absent when the order is gone, e.g. shop/redact). */
export function currentOrdersOf(sqlite: SqlPort): CurrentOrders {
  const statement = sqlite.prepare(CURRENT_ORDERS).raw(true);
  return (keys) => {
    const found = new Map<string, string>();
    if (keys.length === 0) return found;
    for (const [key, canonical] of statement.all(JSON.stringify(keys)) as Array<[string, string]>) found.set(key, canonical);
    return found;
  };
}
