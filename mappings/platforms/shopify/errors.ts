import type { z } from 'zod';

/** A Shopify payload that cannot be read; `field` names the offending path (e.g. `line_items[2].price`). */
export class ShopifyMappingError extends Error {
  override readonly name = 'ShopifyMappingError';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`unreadable Shopify payload: ${field}: ${detail}`);
  }
}

/** `["line_items", 2, "price"]` → `line_items[2].price`, the way the payload would be addressed in code. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(payload)' : out;
}

/** Issues named in one error; a payload wrong everywhere would otherwise make a very long line. */
const MAX_ISSUES = 5;

/**
 * Validates `payload` against a wire schema; on failure a ShopifyMappingError names the first path and, on the
 * same line, up to four more (`customer: expected object, received string; orders_to_redact[1]: …`).
 */
export function readWire<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues.map((i) => ({ path: formatPath(i.path), problem: problemOf(i).replace(/\s+/g, ' ') }));
  const others = rest.slice(0, MAX_ISSUES - 1).map((i) => `; ${i.path}: ${i.problem}`).join('');
  const unnamed = rest.length - (MAX_ISSUES - 1);
  const more = unnamed > 0 ? ` (and ${unnamed} more issue${unnamed > 1 ? 's' : ''})` : '';
  throw new ShopifyMappingError(first!.path, `${first!.problem}${others}${more}`);
}

/** An issue's message without zod's "Invalid input: " prefix; a union of plain types says which it expected (`expected string or number, received boolean`). */
function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    const branches = issue.errors.map((e) => (e.length === 1 && e[0]!.code === 'invalid_type' && e[0]!.path.length === 0 ? e[0]! : null));
    if (branches.length > 0 && branches.every((b) => b !== null)) {
      const received = /, received (.+)$/.exec(branches[0]!.message)?.[1];
      return `expected ${branches.map((b) => (b as z.core.$ZodIssueInvalidType).expected).join(' or ')}${received ? `, received ${received}` : ''}`;
    }
  }
  return issue.message.replace(/^Invalid input: /, '');
}
