/** Any ISO-8601 timestamp with or without offset → "YYYY-MM-DDTHH:mm:ss.sssZ"; bare dates-times are UTC. */
export function toUtcIso(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const hasZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(value);
  const ms = Date.parse(hasZone ? value : `${value}Z`);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString();
}
