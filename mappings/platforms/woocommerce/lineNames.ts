// A WooCommerce line's product name and variant name, apart: the canonical line keeps them apart (Shopify's title and variant_title).
import { blank, decodeEntities } from './text.ts';
import type { WooLineItem, WooMeta } from './wire.ts';

/** What a variation's title puts between the product's name and its attribute values: " - " now, " &ndash; " before WooCommerce 3. */
const TITLE_SEPARATORS = [' - ', ' \u2013 '];

/** Public meta as the buyer saw it: `display_value` ("Ocean Blue") where WooCommerce gives one, else the stored value ("ocean-blue"). */
export function variantWords(meta: readonly WooMeta[] | null | undefined): string[] {
  const words: string[] = [];
  for (const entry of meta ?? []) {
    if (entry.key === '' || entry.key.startsWith('_')) continue;
    const shown = typeof entry.display_value === 'string' ? blank(entry.display_value) : null;
    const stored = typeof entry.value === 'string' || typeof entry.value === 'number' ? blank(String(entry.value)) : null;
    const word = shown ?? stored;
    if (word !== null) words.push(decodeEntities(word));
  }
  return words;
}

/** The variant in the buyer's words ("Ocean Blue / L"), or null for a simple product. */
export function wooVariantName(l: WooLineItem, variantId: string | null): string | null {
  if (variantId === null) return null;
  const words = variantWords(l.meta_data);
  return words.length > 0 ? words.join(' / ') : null;
}

/**
 * The product's name without the variant. A variation's `name` is its title, which WooCommerce builds as
 * "<product> - <values>" ("Oud Perfume - 50ml"): `parent_name` (recent WooCommerce versions) is the product's, else the
 * title loses its trailing " - <values>" part, and stays whole when it has none (three or more attributes).
 */
export function wooProductName(l: WooLineItem, variantId: string | null): string {
  const title = decodeEntities(blank(l.name) ?? '');
  const parent = blank(l.parent_name);
  if (variantId === null) return title || decodeEntities(parent ?? '');
  if (parent !== null) return decodeEntities(parent);
  return withoutVariantSuffix(title, variantWords(l.meta_data));
}

/**
 * "Ship Your Idea – Color: Black, Size: M Test" with ["black", "M Test"] → "Ship Your Idea": the last part whose
 * comma-separated pieces are each a value (or "Label: value") of the line goes.
 */
function withoutVariantSuffix(title: string, words: readonly string[]): string {
  if (words.length === 0) return title;
  const values = words.map(comparable);
  const isValue = (piece: string) => values.some((v) => piece === v || piece.endsWith(`: ${v}`));
  for (let at = title.length; at > 0;) {
    const cut = Math.max(...TITLE_SEPARATORS.map((s) => title.lastIndexOf(s, at - 1)));
    if (cut <= 0) break;
    const separator = TITLE_SEPARATORS.find((s) => title.startsWith(s, cut))!;
    const suffix = comparable(title.slice(cut + separator.length));
    if (suffix.split(',').every((piece) => isValue(piece.trim())) || suffix === values.join(', ')) return title.slice(0, cut).trim();
    at = cut;
  }
  return title;
}

/** Slugs and titles compared alike: "ocean-blue" and "Ocean Blue" are the same value. */
function comparable(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}
