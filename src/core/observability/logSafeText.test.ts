import { describe, expect, it } from 'vitest';
import { logSafeText, MASKED, MAX_LOGGED_TEXT } from './logSafeText.ts';

describe('logSafeText', () => {
  const cases: Array<[string, string, string[]]> = [
    ['a validation message quoting the value', 'Engage 400: {"message":"Order upload failed","error":"email: \\"bob.norman@@mail\\" is not an e-mail address"}', ['bob.norman@@mail']],
    ['a request body echoed as JSON', '{"firstName":"Zoë","lastName":"Łukasiewicz","deliveryAddress":"ul. Źródlana 7, Kraków","city":"Kraków","zip":"31-001","orderId":"1001"}', ['Zoë', 'Łukasiewicz', 'Źródlana', 'Kraków', '31-001']],
    ['the body echoed inside a JSON string', '{"error":"bad request: {\\"billing_address\\":{\\"address1\\":\\"Chestnut Street 92\\",\\"name\\":\\"Bob Norman\\"}}"}', ['Chestnut Street 92', 'Bob Norman']],
    ['form fields', 'rejected: phone=+557734881234&email=bob%40example.com&postcode=60311', ['+557734881234', 'bob%40example.com', '60311']],
    ['bare e-mail and phone numbers in prose', 'contact layla.haddad@example.de or call +49 69 1234567 / +1(502)-459-2181 / 555-625-1199', ['layla.haddad@example.de', '1234567', '(502)', '459-2181', '625-1199']],
  ];
  for (const [what, text, personal] of cases) {
    it(`masks ${what}`, () => {
      const out = logSafeText(text);
      for (const p of personal) expect(out).not.toContain(p);
      expect(out).toContain(MASKED);
    });
  }

  it('keeps the store\'s own words, field names, statuses, dates and short numbers', () => {
    const text = 'Voyado 422 Unprocessable Entity: {"message":"Order upload failed","field":"email","at":"2026-01-15T10:00:00Z","code":4001}';
    expect(logSafeText(text)).toBe(text);
    expect(logSafeText('not sent to Engage: no billing or shipping city: Engage requires city')).toBe('not sent to Engage: no billing or shipping city: Engage requires city');
    expect(logSafeText('gave up after 3 attempts: Engage network error: connect ECONNREFUSED 127.0.0.1:9')).toContain('ECONNREFUSED 127.0.0.1:9');
  });

  it('cuts after masking, so no cut leaves half a value', () => {
    const text = `${'x'.repeat(MAX_LOGGED_TEXT - 10)} "email":"someone.with.a.long.name@example.com"`;
    const out = logSafeText(text);
    expect(out).not.toContain('someone');
    expect(out.length).toBeLessThanOrEqual(MAX_LOGGED_TEXT + 1);
  });
});
