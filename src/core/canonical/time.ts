/** Any ISO-8601 timestamp with or without offset → "YYYY-MM-DDTHH:mm:ss.sssZ"; bare dates-times are UTC; null when unreadable or beyond year 9999. */
export function toUtcIso(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const hasZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(value);
  const ms = Date.parse(hasZone ? value : `${value}Z`);
  if (Number.isNaN(ms)) return null;
  const iso = new Date(ms).toISOString();
  // Years beyond 0000–9999 print as "+010000-…", which no store (nor the canonical schema) reads as a date.
  return /^\d{4}-/.test(iso) ? iso : null;
}
