import type { Address } from '../../../src/core/canonical/index.ts';
import type { WooAddress, WooMeta } from './wire.ts';

/** WooCommerce sends "" for absent text; the canonical model says null. */
export function blank(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '\u2013', mdash: '\u2014',
  hellip: '\u2026', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', times: '\u00d7',
  euro: '\u20ac', pound: '\u00a3', copy: '\u00a9', reg: '\u00ae', trade: '\u2122',
};

/** Product names come HTML-escaped from WordPress ("Ship Your Idea &ndash; Color: Black"); stores want plain text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** Meta values are strings, numbers or arrays/objects (plugins); attributes are strings. */
function metaValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Public meta only: keys starting with "_" are WordPress-private (plugin internals, never shown to the buyer). */
export function metaAttributes(meta: readonly WooMeta[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of meta ?? []) {
    if (entry.key === '' || entry.key.startsWith('_')) continue;
    const value = metaValue(entry.value);
    if (value !== null) out[entry.key] = value;
  }
  return out;
}

/** Woo gives a state code for countries with a state list ("CA") and free text otherwise ("Greater London"). */
function province(state: string | null): { province: string | null; provinceCode: string | null } {
  if (state === null) return { province: null, provinceCode: null };
  return /^[A-Z0-9-]{1,6}$/.test(state) ? { province: null, provinceCode: state } : { province: state, provinceCode: null };
}

export function mapAddress(a: WooAddress | null | undefined): Address | null {
  if (!a) return null;
  const country = blank(a.country)?.toUpperCase() ?? null;
  const address: Address = {
    firstName: blank(a.first_name),
    lastName: blank(a.last_name),
    company: blank(a.company),
    address1: blank(a.address_1),
    address2: blank(a.address_2),
    city: blank(a.city),
    ...province(blank(a.state)),
    postalCode: blank(a.postcode),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
    phone: blank(a.phone),
  };
  return Object.values(address).every((v) => v === null) ? null : address;
}
