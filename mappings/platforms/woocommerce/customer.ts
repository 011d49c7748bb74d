import type { Customer } from '../../../src/core/canonical/index.ts';
import { blank } from './text.ts';
import { readWire, WooCustomer } from './wire.ts';

/** customer.created / REST v3 customer → canonical customer. Pure; throws WooMappingError. */
export function mapWooCustomer(payload: unknown): Customer {
  const c = readWire(WooCustomer, payload, 'customer');
  return {
    id: String(c.id),
    email: blank(c.email) ?? blank(c.billing?.email),
    phone: blank(c.billing?.phone) ?? blank(c.shipping?.phone),
    firstName: blank(c.first_name) ?? blank(c.billing?.first_name),
    lastName: blank(c.last_name) ?? blank(c.billing?.last_name),
    acceptsMarketing: null, // not part of the WooCommerce customer
    locale: null,
  };
}
