/** A JSON value as platforms send it, with integers beyond 2^53 kept as their exact digit strings. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// Shopify ids such as 820982911946154508 exceed 2^53; JSON.parse would silently round them.

/** An integer literal of 16+ digits as a whole value (after `:`, `[` or `,`): the only kind JSON.parse can round. */
const LONG_INTEGER = /([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g;

const BACKSLASH = 92;

/** Where the string literal opened at `open` closes (the index of its closing quote), or -1. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/**
 * The text with every unsafe integer literal outside string literals wrapped in quotes, or the text
 * itself when there is none (or it is malformed: JSON.parse then names the problem).
 */
function quoteUnsafeIntegers(text: string): string {
  LONG_INTEGER.lastIndex = 0;
  let m = LONG_INTEGER.exec(text);
  if (!m) return text;
  let out = '';
  let copied = 0;
  /** A position known to be outside any string literal: string literals are walked from here. */
  let outside = 0;
  do {
    const at = m.index + m[1]!.length;
    const digits = m[2]!;
    if (Number.isSafeInteger(Number(digits))) continue;
    let inString = -1;
    for (;;) {
      const open = text.indexOf('"', outside);
      if (open === -1 || open >= at) break;
      const close = closingQuote(text, open);
      if (close === -1) return text;
      if (close > at) {
        inString = close;
        break;
      }
      outside = close + 1;
    }
    if (inString !== -1) {
      // Digits inside a string literal (a note, an address): look again after it.
      LONG_INTEGER.lastIndex = inString + 1;
      continue;
    }
    out += `${text.slice(copied, at)}"${digits}"`;
    copied = at + digits.length;
  } while ((m = LONG_INTEGER.exec(text)));
  return copied === 0 ? text : out + text.slice(copied);
}

const beyondSafeInteger = (n: number) => n > Number.MAX_SAFE_INTEGER || n < -Number.MAX_SAFE_INTEGER;

/**
 * Whether a parsed value holds a number beyond ±(2^53 - 1): the only ones JSON.parse may have rounded.
 * A loop, not recursion: JSON.parse takes nesting far deeper than the call stack does.
 */
function holdsUnsafeNumber(root: unknown): boolean {
  if (typeof root === 'number') return beyondSafeInteger(root);
  if (root === null || typeof root !== 'object') return false;
  const stack: object[] = [root];
  while (stack.length > 0) {
    const value = stack.pop() as Record<string, unknown>;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'number') {
          if (beyondSafeInteger(item)) return true;
        } else if (item !== null && typeof item === 'object') stack.push(item);
      }
      continue;
    }
    for (const key in value) {
      const item = value[key];
      if (typeof item === 'number') {
        if (beyondSafeInteger(item)) return true;
      } else if (item !== null && typeof item === 'object') stack.push(item);
    }
  }
  return false;
}

/** JSON.parse that never corrupts big integers: unsafe integers become strings. Throws SyntaxError. */
export function parseJsonLossless(text: string): JsonValue {
  const parsed = JSON.parse(text) as JsonValue;
  // Walking the parsed value costs a tenth of any scan of the text; only then is the text parsed again.
  return holdsUnsafeNumber(parsed) ? (JSON.parse(quoteUnsafeIntegers(text)) as JsonValue) : parsed;
}
