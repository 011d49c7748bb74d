/** A WooCommerce payload that cannot be read; `field` names the offending path (e.g. `line_items.0.total`). */
export class WooMappingError extends Error {
  override readonly name = 'WooMappingError';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`unreadable WooCommerce payload: ${field}: ${detail}`);
  }
}
