import { idDigitsProblem, MoneyFormatError, plainDigits, toMinor, toUtcIso } from '../../../src/core/canonical/index.ts';
import { ShopifyMappingError } from './errors.ts';
import type { MoneyBag } from './wire.ts';

/** The numeric tail of `gid://shopify/Order/450789469`, or null when it is not one. */
export function gidTail(gid: string | null | undefined): string | null {
  const m = gid ? /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid) : null;
  return m ? plainDigits(m[1]!) : null;
}


/**
 * The exact decimal id. `admin_graphql_api_id` is a string and so always exact; a plain number beyond 2^53
 * was already rounded by JSON.parse and cannot be trusted.
 */
export function idOf(id: number | string, gid: string | null | undefined, field: string): string {
  const tail = gidTail(gid);
  if (tail !== null) return boundedId(tail, field.replace(/id$/, 'admin_graphql_api_id'));
  if (typeof id === 'string') return /^\d+$/.test(id) ? boundedId(plainDigits(id), field) : id;
  if (!Number.isSafeInteger(id)) {
    throw new ShopifyMappingError(field, `${id} is beyond 2^53 and was rounded; parse the body with parseJsonLossless`);
  }
  return String(id);
}

/** Digits that are an id's, or the mapping error naming the field (an id becomes part of keys). */
function boundedId(digits: string, field: string): string {
  const problem = idDigitsProblem(digits);
  if (problem !== null) throw new ShopifyMappingError(field, problem);
  return digits;
}

export function optionalId(id: number | string | null | undefined, field: string): string | null {
  return id === null || id === undefined ? null : idOf(id, null, field);
}

/** Empty or blank text means "not given" in the canonical model. */
export function blank(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function minor(value: string | number | null | undefined, exponent: number, field: string): number {
  try {
    return toMinor(value, exponent);
  } catch (err) {
    if (err instanceof MoneyFormatError) throw new ShopifyMappingError(field, err.tooLarge ? err.message : 'expected a decimal string');
    throw err;
  }
}

/** Reads one amount in shop currency: `<field>_set.shop_money` where present, else the plain field. */
export class ShopMoney {
  constructor(
    readonly currency: string,
    readonly exponent: number,
  ) {}

  read(set: MoneyBag, plain: string | number | null | undefined, field: string): number {
    if (set) {
      const code = set.shop_money.currency_code?.toUpperCase();
      if (code && code !== this.currency) {
        throw new ShopifyMappingError(`${field}_set.shop_money.currency_code`, `${code} is not the order currency ${this.currency}`);
      }
      return minor(set.shop_money.amount, this.exponent, `${field}_set.shop_money.amount`);
    }
    return minor(plain, this.exponent, field);
  }
}

export function requiredUtc(value: string | null | undefined, field: string): string {
  const iso = toUtcIso(value);
  if (iso === null) throw new ShopifyMappingError(field, `expected an ISO 8601 date-time, got ${JSON.stringify(value ?? null)}`);
  return iso;
}

export function optionalUtc(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined || value === '' ? null : requiredUtc(value, field);
}

const text = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);

/**
 * `[{name, value}]` (or an object) → attributes. Names starting with "_" are Shopify's convention for
 * private properties hidden from the buyer (app internals), so they are left out.
 */
export function nameValues(
  list: readonly { name?: string | null; value?: unknown }[] | Record<string, unknown> | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Array.isArray(list) ? list.map((p) => [p.name ?? '', p.value] as const) : Object.entries(list ?? {});
  for (const [name, value] of entries) {
    if (name.trim() === '' || name.startsWith('_')) continue;
    out[name] = text(value);
  }
  return out;
}

/** "vip, wholesale ,," → ["vip", "wholesale"]. */
export function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
