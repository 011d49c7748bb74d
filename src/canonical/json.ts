import { isSafeNumber, parse } from 'lossless-json';

/** A JSON value as platforms send it, with integers beyond 2^53 kept as their exact digit strings. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// Shopify ids such as 820982911946154508 exceed 2^53; JSON.parse would silently round them.
const parseNumber = (digits: string): number | string =>
  isSafeNumber(digits, { approx: true }) ? Number(digits) : digits;

/** JSON.parse that never corrupts big integers: unsafe integers become strings. Throws SyntaxError. */
export function parseJsonLossless(text: string): JsonValue {
  return parse(text, undefined, parseNumber) as JsonValue;
}
