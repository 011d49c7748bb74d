// Reading Engage request bodies the way a server with arbitrary-size integers would (Python).
import { isInteger, isSafeNumber, parse } from 'lossless-json';

/** An integer as received: a JS number, or a bigint when it lies beyond 2^53. */
export type WireInteger = number | bigint;

const parseNumber = (text: string): number | bigint =>
  isInteger(text) && !isSafeNumber(text) ? BigInt(text) : Number(text);

/**
 * JSON.parse, except that integers beyond 2^53 in the id fields arrive exact as bigint. Throws SyntaxError.
 * Fast path first: only a body whose ids JSON.parse rounded is parsed again, losslessly.
 */
export function parseWireJson(text: string): unknown {
  const body = JSON.parse(text) as unknown;
  return hasRoundedId(body) ? parse(text, null, parseNumber) : body;
}

const ID_FIELDS = ['line_item_product_id', 'line_item_variation_id'] as const;

/** True when an order_id / product / variation id is an integer beyond 2^53 (rounded by JSON.parse). */
function hasRoundedId(body: unknown): boolean {
  const orders = Array.isArray(body) ? body : [body];
  for (const order of orders as Array<Record<string, unknown> | null>) {
    if (typeof order !== 'object' || order === null) continue;
    if (isRounded(order.order_id)) return true;
    const lines = order.line_items;
    if (!Array.isArray(lines)) continue;
    for (const line of lines as Array<Record<string, unknown> | null>) {
      if (typeof line === 'object' && line !== null && (isRounded(line[ID_FIELDS[0]]) || isRounded(line[ID_FIELDS[1]]))) return true;
    }
  }
  return false;
}

const isRounded = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v);

export function isWireInteger(value: unknown): value is WireInteger {
  return typeof value === 'bigint' || Number.isInteger(value);
}

/** The decimal digits of an integer as received, for keys and read-back. */
export function integerKey(value: WireInteger): string {
  return typeof value === 'bigint' ? value.toString() : String(value);
}
