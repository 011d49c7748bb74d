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

/** Validates `payload` against a wire schema, turning the first zod issue into a ShopifyMappingError. */
export function readWire<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0]!;
  const field = formatPath(first.path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  throw new ShopifyMappingError(field, first.message.replace(/^Invalid input: /, '') + more);
}
