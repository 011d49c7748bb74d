// Money is carried as integer minor units (cents, yen, fils) so sums never drift.

const exponentCache = new Map<string, number>();

/** Decimal places of an ISO 4217 currency (JPY 0, USD 2, KWD 3), from the runtime's ICU data. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  const cached = exponentCache.get(code);
  if (cached !== undefined) return cached;
  let exponent = 2;
  try {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    exponent = 2; // unknown or malformed code: the common case
  }
  exponentCache.set(code, exponent);
  return exponent;
}

export class MoneyFormatError extends Error {
  /** A decimal, but too large to count in minor units exactly (a mapping says so rather than "not a decimal"). */
  constructor(readonly value: unknown, readonly tooLarge = false) {
    super(tooLarge ? `${JSON.stringify(value)} is too large: beyond 2^53 − 1 minor units` : `not a money amount: ${JSON.stringify(value)}`);
  }
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses "19.99", 19.99, "-4.5", "1e2" into minor units at `exponent` decimals, exactly.
 * Digits beyond the currency's precision are rounded half away from zero (WooCommerce floats).
 */
export function toMinor(value: string | number | null | undefined, exponent: number): number {
  if (value === null || value === undefined || value === '') return 0;
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new MoneyFormatError(value);
  const sign = m[1] === '-' ? -1 : 1;
  let intPart = m[2] || '0';
  let frac = m[3] ?? '';
  const shift = m[4] ? Number(m[4]) : 0;
  if (shift > 0) {
    const moved = frac.padEnd(shift, '0');
    intPart += moved.slice(0, shift);
    frac = moved.slice(shift);
  } else if (shift < 0) {
    const padded = intPart.padStart(-shift + 1, '0');
    frac = padded.slice(padded.length + shift) + frac;
    intPart = padded.slice(0, padded.length + shift);
  }
  const kept = frac.slice(0, exponent).padEnd(exponent, '0');
  const roundUp = (frac.charCodeAt(exponent) || 48) >= 53; // next digit >= '5'
  let minor = Number(intPart + kept);
  if (roundUp) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError(value, true);
  return minor === 0 ? 0 : sign * minor;
}

function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyFormatError(n);
  // toPrecision(15) drops binary noise such as 12.300000000000001 before decimal parsing
  return Number(n.toPrecision(15)).toString();
}

/** 19965, 2 → "199.65"; -5, 2 → "-0.05"; 1200, 0 → "1200". */
export function formatMinor(minor: number, exponent: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = Math.abs(minor).toString();
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** Minor units as a JSON number in major units (199.65): the nearest double prints exactly. */
export function toMajorNumber(minor: number, exponent: number): number {
  return Number(formatMinor(minor, exponent));
}

/** Splits `total` over `weights` proportionally; the remainder goes to the largest shares so the parts sum exactly. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum === 0) {
    const parts = weights.map(() => 0);
    parts[0] = total;
    return parts;
  }
  const parts = weights.map((w) => Math.trunc((total * w) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0]);
  const step = rest >= 0 ? 1 : -1;
  for (let k = 0; rest !== 0; k = (k + 1) % order.length) {
    parts[order[k]![1]]! += step;
    rest -= step;
  }
  return parts;
}
