import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonLossless, type JsonValue } from '../../../src/core/canonical/index.ts';

// Test-only: the JSON fixtures under test/fixtures/shopify, parsed the way the webhook pipeline parses them.
const dir = fileURLToPath(new URL('../../../test/fixtures/shopify/', import.meta.url));

export const FIXTURES = {
  docsSample: 'order-docs-sample.json',
  discountsShipping: 'order-discounts-shipping.json',
  taxesIncludedRefunds: 'order-taxes-included-refunds.json',
  guestPresentment: 'order-guest-presentment.json',
  jpyCancelledTest: 'order-jpy-cancelled-test.json',
  kwdRefunded: 'order-kwd-refunded.json',
  eurShippingVatGiftCard: 'order-eur-shipping-vat-gift-card.json',
  jpyTaxesIncludedTwoUnits: 'order-jpy-taxes-included-two-units.json',
} as const;

export const fixtureText = (name: string): string => readFileSync(dir + name, 'utf8');
export const fixture = (name: string): JsonValue => parseJsonLossless(fixtureText(name));
/** A deep copy as a plain object, for tests that tamper with a payload. */
export const fixtureObject = (name: string): Record<string, any> => fixture(name) as Record<string, any>;
