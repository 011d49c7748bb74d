import { isSafeNumber, parse } from 'lossless-json';

/** A JSON value as platforms send it, with integers beyond 2^53 kept as their exact digit strings. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// Shopify ids such as 820982911946154508 exceed 2^53; JSON.parse would silently round them.
const parseNumber = (digits: string): number | string =>
  isSafeNumber(digits, { approx: true }) ? Number(digits) : digits;

/** Integer literals of 16+ digits: the only kind JSON.parse can round. Matches inside strings too (harmless: then we parse losslessly). */
const LONG_INTEGER = /[:[,]\s*-?(\d{16,})\s*(?=[,\]}])/g;

const SIXTEEN_DIGITS = /\d{16}/;

function hasUnsafeInteger(text: string): boolean {
  if (!SIXTEEN_DIGITS.test(text)) return false; // today's Shopify and WooCommerce ids have 14 digits or fewer
  for (const m of text.matchAll(LONG_INTEGER)) if (!Number.isSafeInteger(Number(m[1]))) return true;
  return false;
}

/** JSON.parse that never corrupts big integers: unsafe integers become strings. Throws SyntaxError. */
export function parseJsonLossless(text: string): JsonValue {
  // Native JSON.parse is several times faster; it is exact whenever no integer is long enough to round.
  if (!hasUnsafeInteger(text)) return JSON.parse(text) as JsonValue;
  return parse(text, undefined, parseNumber) as JsonValue;
}
