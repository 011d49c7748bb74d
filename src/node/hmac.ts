// node:crypto's HMAC for the Shopify verifier: synchronous, no promise or key import a webhook, as bench/ingest measured it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HmacCheck } from '../../connectors/platforms/shopify/webhookVerifier.ts';

export const nodeHmacCheck: HmacCheck = (keys, offered, body) => {
  const given = Buffer.from(offered, 'base64');
  return keys.some((key) => {
    const expected = createHmac('sha256', key).update(body).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
};
