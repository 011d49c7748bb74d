import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's fixtures: platform payloads (documented samples and our own awkward cases). */
export const FIXTURES = join(import.meta.dirname, '../fixtures');

/** The documented Shopify order, with its id raised beyond 2^53 as the docs' own samples do elsewhere. */
export function shopifyDocsOrderBody(opts: { id?: string; updatedAt?: string; note?: string } = {}): string {
  let text = readFileSync(join(FIXTURES, 'shopify/order-docs-sample.json'), 'utf8');
  const id = opts.id ?? '820982911946154508';
  text = text.replace(/^ {2}"id": 450789469,/m, `  "id": ${id},`).replace('"gid://shopify/Order/450789469"', `"gid://shopify/Order/${id}"`);
  if (opts.updatedAt) text = text.replace(/^ {2}"updated_at": "[^"]+"/m, `  "updated_at": "${opts.updatedAt}"`);
  if (opts.note !== undefined) text = text.replace(/^ {2}"note": null/m, `  "note": ${JSON.stringify(opts.note)}`);
  return text;
}
