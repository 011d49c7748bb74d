// The `query:` argument of `orders`, in the part of Shopify's search syntax the simulator reads:
// `created_at:>=2026-01-01T00:00:00Z updated_at:<'2026-04-01'` — terms joined by spaces or AND, each a range on
// created_at or updated_at. A date without a time or zone is read in the shop's time zone, as Shopify does.
// Anything else is refused with the term named, so a client bug shows instead of silently matching everything.

export interface TimeRange {
  /** Inclusive lower bound, ms. */
  min: number;
  /** Inclusive upper bound, ms. */
  max: number;
}

export interface OrderFilter {
  created: TimeRange;
  updated: TimeRange;
}

export class SearchSyntaxError extends Error {}

const OPEN: TimeRange = { min: -Infinity, max: Infinity };
const TERM = /^(created_at|updated_at):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))$/;

/** Splits on spaces outside quotes. */
function terms(text: string): string[] {
  return text.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
}

function instant(value: string, offsetMinutes: number, term: string): { ms: number; dateOnly: boolean } {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : zoned ? value : `${value}Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw new SearchSyntaxError(`unreadable date in "${term}"`);
  return { ms: zoned ? ms : ms - offsetMinutes * 60_000, dateOnly };
}

export function parseOrderQuery(text: string | null | undefined, offsetMinutes: number): OrderFilter {
  const filter: OrderFilter = { created: { ...OPEN }, updated: { ...OPEN } };
  for (const term of terms(text ?? '')) {
    if (term === 'AND') continue;
    const m = TERM.exec(term);
    if (!m) throw new SearchSyntaxError(`the simulator reads only created_at and updated_at ranges, not "${term}"`);
    const range = m[1] === 'created_at' ? filter.created : filter.updated;
    const { ms, dateOnly } = instant(m[3] ?? m[4] ?? m[5]!, offsetMinutes, term);
    // a bare date stands for its whole day
    const end = dateOnly ? ms + 86_400_000 - 1 : ms;
    switch (m[2]) {
      case '>=': range.min = Math.max(range.min, ms); break;
      case '>': range.min = Math.max(range.min, end + 1); break;
      case '<=': range.max = Math.min(range.max, end); break;
      case '<': range.max = Math.min(range.max, ms - 1); break;
      default:
        range.min = Math.max(range.min, ms);
        range.max = Math.min(range.max, end);
    }
  }
  return filter;
}

export const inRange = (ms: number, r: TimeRange): boolean => ms >= r.min && ms <= r.max;
