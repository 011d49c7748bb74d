import { z } from 'zod';
import { readWire } from './errors.ts';

const id = z.union([z.string(), z.number()]).transform(String);

const RedactRequest = z.object({
  customer: z.object({
    id: id.nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
  orders_to_redact: z.array(id).nullish(),
});

/** customers/redact: who to forget, and which orders Shopify names explicitly. */
export function readShopifyRedactRequest(payload: unknown): {
  customer: { id: string | null; email: string | null; phone: string | null };
  orderIds: string[];
} {
  const r = readWire(RedactRequest, payload);
  return {
    customer: { id: r.customer.id ?? null, email: r.customer.email ?? null, phone: r.customer.phone ?? null },
    orderIds: r.orders_to_redact ?? [],
  };
}
