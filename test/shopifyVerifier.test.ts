import '@shopify/shopify-api/adapters/web-api';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createShopifyVerifier, webCryptoHmacCheck } from '../connectors/platforms/shopify/webhookVerifier.ts';
import { nodeHmacCheck } from '../src/node/hmac.ts';

// @shopify/shopify-api is the reference: our verifier must give the same verdict on every case.
const library = (secret: string) => shopifyApi({
  apiKey: 'k', apiSecretKey: secret, hostName: 'localhost', isEmbeddedApp: false, apiVersion: ApiVersion.January26,
  logger: { level: LogSeverity.Error, log: async () => {}, httpRequests: false, timestamps: false },
});

const body = '{"id":820982911946154508,"email":"zoë@example.com"}';
const sign = (text: string, secret: string) => createHmac('sha256', secret).update(text, 'utf8').digest('base64');
const headers = (over: Record<string, string | null> = {}) => {
  const h: Record<string, string> = {};
  const all = {
    'x-shopify-hmac-sha256': sign(body, 'current'), 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'a.myshopify.com',
    'x-shopify-api-version': '2026-01', 'x-shopify-webhook-id': 'w-1', 'x-shopify-event-id': 'e-1', ...over,
  };
  for (const [k, v] of Object.entries(all)) if (v !== null) h[k] = v;
  return h;
};

const cases: Array<[string, Record<string, string | null>, string]> = [
  ['signed with the current secret', {}, body],
  ['signed with the previous secret', { 'x-shopify-hmac-sha256': sign(body, 'previous') }, body],
  ['signed with another secret', { 'x-shopify-hmac-sha256': sign(body, 'someone-else') }, body],
  ['body changed after signing', {}, body.replace('820982911946154508', '820982911946154509')],
  ['no signature', { 'x-shopify-hmac-sha256': null }, body],
  ['signature not base64', { 'x-shopify-hmac-sha256': 'not base64!' }, body],
  ['no webhook id', { 'x-shopify-webhook-id': null }, body],
  ['no topic', { 'x-shopify-topic': null }, body],
  ['empty body', { 'x-shopify-hmac-sha256': sign('', 'current') }, ''],
];

describe.each([
  ['Web Crypto (any runtime)', webCryptoHmacCheck()],
  ["node:crypto (the Node runtime's)", nodeHmacCheck],
])('Shopify webhook verification agrees with @shopify/shopify-api, checked with %s', (_, check) => {
  const ours = createShopifyVerifier({ secret: 'current', previousSecret: 'previous', check });
  const theirs = [library('current'), library('previous')];

  for (const [name, over, text] of cases) {
    it(name, async () => {
      const request = new Request('http://localhost/webhooks/shopify', { method: 'POST', headers: headers(over) });
      const mine = await ours(request.headers, text);
      const verdicts = await Promise.all(theirs.map((api) => api.webhooks.validate({ rawBody: text, rawRequest: request })));
      const libraryValid = verdicts.some((v) => v.valid);
      expect(mine.valid).toBe(libraryValid);
      if (mine.valid) expect(mine.webhook).toMatchObject({ topic: 'orders/create', domain: 'a.myshopify.com', webhookId: 'w-1', eventId: 'e-1' });
    });
  }

  it('says when no secret is configured', async () => {
    const none = createShopifyVerifier({ secret: '' });
    expect(await none(new Request('http://localhost/', { method: 'POST', headers: headers() }).headers, body)).toMatchObject({ valid: false, reason: 'not_configured' });
  });

  it('verifies the bytes as received, also bytes that are not valid UTF-8', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const signature = createHmac('sha256', 'current').update(bytes).digest('base64');
    const request = new Request('http://localhost/', { method: 'POST', headers: headers({ 'x-shopify-hmac-sha256': signature }) });
    expect(await ours(request.headers, bytes)).toMatchObject({ valid: true });
    // The same body decoded to text and encoded again is other bytes: checked that way it would fail.
    expect(await ours(request.headers, bytes.toString('utf8'))).toMatchObject({ valid: false, reason: 'invalid_hmac' });
  });
});
