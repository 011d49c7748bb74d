import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../src/canonical/json.ts';

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exact as strings, everything else as JSON.parse would', () => {
    expect(parseJsonLossless('{"id":820982911946154508,"n":12,"p":12.5,"ids":[9007199254740993, 1]}'))
      .toEqual({ id: '820982911946154508', n: 12, p: 12.5, ids: ['9007199254740993', 1] });
    expect(parseJsonLossless('{"id": 450789469, "note": "a: 1234567890123456789, b"}'))
      .toEqual({ id: 450789469, note: 'a: 1234567890123456789, b' });
    expect(parseJsonLossless('{"id":9007199254740991}')).toEqual({ id: 9007199254740991 });
  });

  it('throws on malformed text', () => {
    expect(() => parseJsonLossless('{"id": 1,')).toThrow();
    expect(() => parseJsonLossless('{"id": 12345678901234567890,')).toThrow();
  });
});
