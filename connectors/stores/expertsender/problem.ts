import type { EsProblem } from '../../../mappings/stores/expertsender/index.ts';

/** Longest store text kept in an outcome; a dead letter needs the reason, not a whole HTML page. */
const MAX_TEXT = 2000;

function parseProblem(text: string): EsProblem | null {
  try {
    const body: unknown = JSON.parse(text);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
    const p = body as Record<string, unknown>;
    return p.title !== undefined || p.detail !== undefined || p.errors !== undefined || p.substatus !== undefined
      ? (p as EsProblem)
      : null;
  } catch {
    return null;
  }
}

/** A problem field as text whatever its JSON type (a store may send a number, an object, null). */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function errorList(errors: unknown): string[] {
  if (!errors) return [];
  if (Array.isArray(errors)) return errors.map(asText);
  if (typeof errors !== 'object') return [asText(errors)];
  // ASP.NET's own shape: { "data[0].id": ["…"] }
  return Object.entries(errors).flatMap(([field, messages]) =>
    (Array.isArray(messages) ? messages : [messages]).map((m) => `${field}: ${asText(m)}`));
}

/**
 * The store's own words for a failed call: the RFC 7807 problem (title, substatus, detail,
 * errors) when the body is one, otherwise the body text. Never includes request headers.
 */
export function describeEsError(status: number, text: string): string {
  const problem = parseProblem(text);
  let described: string;
  if (problem) {
    const head = [`ExpertSender ${status}`, asText(problem.substatus)].filter(Boolean).join(' ');
    const parts = [asText(problem.title), asText(problem.detail), ...errorList(problem.errors)].filter((s) => s.trim() !== '');
    described = parts.length > 0 ? `${head}: ${parts.join(' — ')}` : head;
  } else {
    described = text.trim() ? `ExpertSender ${status}: ${text.trim()}` : `ExpertSender ${status} with an empty body`;
  }
  return described.length > MAX_TEXT ? `${described.slice(0, MAX_TEXT)}…` : described;
}
