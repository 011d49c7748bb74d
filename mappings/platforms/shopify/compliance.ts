import { z } from 'zod';
import { idDigitsProblem, plainDigits } from '../../../src/core/canonical/index.ts';
import { readWire } from './errors.ts';

/** An id as Shopify's compliance payloads give it; one longer than any platform id's is refused (it would become a key). */
const id = z.union([z.string(), z.number()]).transform(String).superRefine((value, ctx) => {
  const problem = /^\d+$/.test(value) ? idDigitsProblem(plainDigits(value)) : null;
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

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
