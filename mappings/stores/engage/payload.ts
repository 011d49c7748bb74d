// The Engage Order History wire shape (seed 000) and its JSON encoding. Pure: no I/O.

/**
 * An integer too large for a JS number (Shopify ids can exceed 2^53), written to the JSON body as a
 * raw integer literal by `encodeEngageOrders`. Holds decimal digits only.
 */
export class JsonInteger {
  constructor(readonly digits: string) {}
  /** JSON.stringify calls this; the marker is swapped for the bare digits afterwards. */
  toJSON(): string {
    return RAW_MARK + this.digits;
  }
}

/** An integer field: a safe JS integer, or the exact digits of a larger one. */
export type EngageInteger = number | JsonInteger;

export interface EngageLineItem {
  line_item_product_id: EngageInteger;
  line_item_price: number;
  line_item_quantity: number;
  line_item_name?: string;
  line_item_sku?: string;
  line_item_variation_id?: EngageInteger;
  line_item_subtotal?: number;
  line_item_total?: number;
  line_item_tax_class?: string;
  line_item_subtotal_tax?: number;
  line_item_total_tax?: number;
}

/** One order as `POST /v1/orders` takes it. Optional fields are left out rather than sent as null. */
export interface EngageOrder {
  order_id: EngageInteger;
  status: string;
  email: string;
  city: string;
  country: string;
  currency: string;
  date_created_gmt: string;
  date_modified_gmt?: string;
  completion_date_gmt?: string;
  order_value: number;
  first_name?: string;
  last_name?: string;
  phone?: string;
  zip_code?: string;
  line_items: EngageLineItem[];
}

/** Documented ceiling of one request. */
export const ENGAGE_MAX_BATCH = 250;

// JSON.stringify writes U+0000 as the six characters \u0000, which no other value of ours produces.
const RAW_MARK = '\u0000int:';
const RAW_MARK_ESCAPED = '\\u0000int:';
const RAW_LITERAL = /"\\u0000int:(\d+)"/g;

/**
 * The request body: a single order as an object (the documented form), several as an array.
 * One JSON.stringify per call; big integers are patched in as raw literals only when present.
 */
export function encodeEngageOrders(orders: readonly EngageOrder[]): string {
  const text = JSON.stringify(orders.length === 1 ? orders[0] : orders);
  return text.includes(RAW_MARK_ESCAPED) ? text.replace(RAW_LITERAL, '$1') : text;
}

/** Decimal digits → a JSON integer for Engage; null when the text is not a non-negative integer. */
export function toEngageInteger(id: string): EngageInteger | null {
  if (id.length === 0 || id.length > 19 || !DIGITS.test(id)) return null;
  const n = Number(id);
  if (Number.isSafeInteger(n)) return n;
  // Beyond 2^53 but still a signed 64-bit integer (what Engage's integer column can hold, we assume).
  const trimmed = id.replace(/^0+/, '');
  if (trimmed.length === 19 && trimmed > INT64_MAX) return null;
  return new JsonInteger(trimmed);
}

const DIGITS = /^\d+$/;
const INT64_MAX = '9223372036854775807';
