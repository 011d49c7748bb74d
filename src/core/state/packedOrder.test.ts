// Canonical orders are stored packed: what goes in comes out byte for byte, the format's dictionary never
// changes under it (stored orders would no longer read), and a format this build does not know is named.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeOrder } from '../../../test/support/canonicalOrder.ts';
import { dictionaryOfFormat1, isPlainOrder, packOrder, unpackOrder } from './packedOrder.ts';

describe('packed orders', () => {
  it('unpacks to the JSON packed, non-ASCII and ids beyond 2^53 included, in a fraction of its size', () => {
    const json = JSON.stringify(makeOrder('820982911946154508', { note: 'Gåva — 贈り物 🎁' }));
    const packed = packOrder(json);
    expect(unpackOrder(packed)).toBe(json);
    expect(packed[0]).toBe(1);
    expect(packed.length).toBeLessThan(json.length / 2);
  });

  it('reads the plain format (JSON as it is, as migration 0019 carries it over) and tells it apart from a packed one', () => {
    const json = JSON.stringify(makeOrder('820982911946154509', { note: 'Gåva' }));
    const plain = new TextEncoder().encode(json);
    expect(unpackOrder(plain)).toBe(json);
    expect([isPlainOrder(plain), isPlainOrder(packOrder(json))]).toEqual([true, false]);
  });

  it('keeps format 1 readable: its dictionary is the one orders were packed against', () => {
    expect(createHash('sha256').update(dictionaryOfFormat1()).digest('hex').slice(0, 16)).toBe('8104c6bb98eb6aed');
  });

  it('names a format it cannot read rather than returning garbage', () => {
    const packed = packOrder('{}');
    packed[0] = 9;
    expect(() => unpackOrder(packed)).toThrow(/format 9/);
  });
});
