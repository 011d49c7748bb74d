import { describe, expect, it } from 'vitest';
import { encodedBody, joinJson, jsonString } from './jsonText.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('joinJson', () => {
  it('joins text as text', () => {
    expect(joinJson('[', ['{"a":1}', '{"b":"ö"}'], ']')).toBe('[{"a":1},{"b":"ö"}]');
    expect(joinJson('{"orders":[', [], ']}')).toBe('{"orders":[]}');
  });

  it('joins bytes (and any text among them) into the same UTF-8 body', () => {
    const body = joinJson('{"data":[', [bytes('{"city":"Malmö"}'), '{"n":"😀"}', bytes('{"x":2}')], '],"matchBy":"Phone"}');
    expect(body).toBeInstanceOf(Uint8Array);
    expect(jsonString(body)).toBe('{"data":[{"city":"Malmö"},{"n":"😀"},{"x":2}],"matchBy":"Phone"}');
    expect(JSON.parse(jsonString(body))).toEqual({ data: [{ city: 'Malmö' }, { n: '😀' }, { x: 2 }], matchBy: 'Phone' });
  });

  it('copies only the views it is given, not the rest of their buffer', () => {
    const whole = bytes('xx{"a":1}yy{"b":2}zz');
    const body = joinJson('[', [whole.subarray(2, 9), whole.subarray(11, 18)], ']');
    expect(jsonString(body)).toBe('[{"a":1},{"b":2}]');
  });

  it('sends an encoded body as it is and anything else as its JSON', () => {
    const b = bytes('{}');
    expect(encodedBody(b)).toBe(b);
    expect(encodedBody('{"a":1}')).toBe('{"a":1}');
    expect(encodedBody({ a: 1 })).toBe('{"a":1}');
  });
});
