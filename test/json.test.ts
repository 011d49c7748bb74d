import { readdirSync, readFileSync } from 'node:fs';
import { parse as losslessParse, isSafeNumber } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../src/core/canonical/json.ts';

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exact as strings, everything else as JSON.parse would', () => {
    expect(parseJsonLossless('{"id":820982911946154508,"n":12,"p":12.5,"ids":[9007199254740993, 1]}'))
      .toEqual({ id: '820982911946154508', n: 12, p: 12.5, ids: ['9007199254740993', 1] });
    expect(parseJsonLossless('{"id": 450789469, "note": "a: 1234567890123456789, b"}'))
      .toEqual({ id: 450789469, note: 'a: 1234567890123456789, b' });
    expect(parseJsonLossless('{"id":9007199254740991}')).toEqual({ id: 9007199254740991 });
    expect(parseJsonLossless('[-9007199254740993,\n  12345678901234567890 ]')).toEqual(['-9007199254740993', '12345678901234567890']);
  });

  it('leaves digits inside strings alone, however the strings are escaped', () => {
    const text = String.raw`{"a":"x\\","n":820982911946154508,"b":"say \"hi\", 9007199254740993,","c":"\\\"","m":[9007199254740993],"é":"ü: 1234567890123456789"}`;
    expect(parseJsonLossless(text)).toEqual({
      a: 'x\\', n: '820982911946154508', b: 'say "hi", 9007199254740993,', c: '\\"', m: ['9007199254740993'], é: 'ü: 1234567890123456789',
    });
  });

  it('agrees with a full lossless parser on the Shopify fixtures and on generated documents', () => {
    const reviveUnsafe = (digits: string) => (isSafeNumber(digits, { approx: true }) ? Number(digits) : digits);
    const fixtures = new URL('./fixtures/shopify/', import.meta.url);
    const docs = readdirSync(fixtures).map((name) => readFileSync(new URL(name, fixtures), 'utf8'));
    expect(docs.length).toBeGreaterThan(5);
    for (let i = 0; i < 200; i++) {
      const big = `${9007199254740993n + BigInt(i) * 7919n}`;
      docs.push(JSON.stringify({ id: 'BIG', s: `q"${big}",:[${big}]\\`, n: i, list: ['BIG', i * 1.5, { deep: 'BIG' }] }, null, i % 3).replaceAll('"BIG"', big));
    }
    for (const text of docs) expect(parseJsonLossless(text)).toEqual(losslessParse(text, undefined, reviveUnsafe));
  });

  it('reads nesting as deep as JSON.parse does, and still finds a big integer at the bottom', () => {
    const depth = 100_000;
    const deep = parseJsonLossless(`${'['.repeat(depth)}9007199254740993${']'.repeat(depth)}`);
    let bottom: unknown = deep;
    for (let i = 0; i < depth; i++) bottom = (bottom as unknown[])[0];
    expect(bottom).toBe('9007199254740993');
    expect(parseJsonLossless(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)).toBeTypeOf('object');
  });

  it('throws on malformed text', () => {
    expect(() => parseJsonLossless('{"id": 1,')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"id": 12345678901234567890,')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"id": "unterminated 12345678901234567890}')).toThrow(SyntaxError);
  });
});
