import type { Address, Customer } from '../../../src/core/canonical/index.ts';
import { blank, idOf } from './values.ts';
import type { ShopifyAddress, ShopifyCustomer } from './wire.ts';

/** A Shopify address → canonical; null when absent or empty (digital orders, POS sales). */
export function mapAddress(a: ShopifyAddress): Address | null {
  if (!a) return null;
  const code = blank(a.country_code)?.toUpperCase() ?? null;
  const address: Address = {
    firstName: blank(a.first_name),
    lastName: blank(a.last_name),
    company: blank(a.company),
    address1: blank(a.address1),
    address2: blank(a.address2),
    city: blank(a.city),
    province: blank(a.province),
    provinceCode: blank(a.province_code),
    postalCode: blank(a.zip),
    country: code && /^[A-Z]{2}$/.test(code) ? code : null,
    phone: blank(a.phone),
  };
  return Object.values(address).every((v) => v === null) ? null : address;
}

// Shopify's email_marketing_consent states; only "subscribed" is consent (pending = double opt-in not confirmed).
const CONSENT: Record<string, boolean> = {
  subscribed: true,
  not_subscribed: false,
  unsubscribed: false,
  pending: false,
  redacted: false,
  invalid: false,
};

/** The contact fields an order and a checkout share. */
export interface ContactFields {
  email?: string | null;
  contact_email?: string | null;
  phone?: string | null;
  customer?: ShopifyCustomer;
  billing_address?: ShopifyAddress;
  shipping_address?: ShopifyAddress;
  buyer_accepts_marketing?: boolean | null;
  customer_locale?: string | null;
}

/**
 * The buyer. A guest (no customer record) keeps the order's email/phone/names with id null; null only
 * when the order names nobody at all. The customer record wins over the order's copies, which fill in what
 * Shopify withholds from apps without protected-customer-data access.
 */
export function mapCustomer(o: ContactFields): Customer | null {
  const c = o.customer;
  const id = c && c.id !== null && c.id !== undefined ? idOf(c.id, c.admin_graphql_api_id, 'customer.id') : null;
  const consentState = blank(c?.email_marketing_consent?.state)?.toLowerCase();
  const consent = consentState !== undefined ? CONSENT[consentState] : undefined;
  const customer: Customer = {
    id,
    email: (blank(c?.email) ?? blank(o.email) ?? blank(o.contact_email))?.toLowerCase() ?? null,
    phone: blank(c?.phone) ?? blank(o.phone),
    firstName: blank(c?.first_name) ?? blank(o.billing_address?.first_name) ?? blank(o.shipping_address?.first_name),
    lastName: blank(c?.last_name) ?? blank(o.billing_address?.last_name) ?? blank(o.shipping_address?.last_name),
    acceptsMarketing: consent ?? c?.accepts_marketing ?? o.buyer_accepts_marketing ?? null,
    locale: blank(o.customer_locale),
  };
  const identifying = [customer.id, customer.email, customer.phone, customer.firstName, customer.lastName];
  return identifying.every((v) => v === null) ? null : customer;
}
